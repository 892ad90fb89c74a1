package dev.meshunit.grpc;

import static dev.meshunit.testing.Journals.awaitExchange;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshunit.MeshProxy;
import dev.meshunit.VirtualTime;
import dev.meshunit.journal.Exchange;
import dev.meshunit.journal.ResponseFlag;
import dev.meshunit.testing.Async;
import dev.meshunit.testing.NoLeaks;
import dev.meshunit.testing.OneService;
import dev.meshunit.testing.TestBackend;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The client's grpc-timeout bounds the call up to the route timeout, as Istio configures Envoy; on virtual time. */
@ExtendWith(NoLeaks.class)
class GrpcTimeoutTest {
    private static final byte[] EMPTY_MESSAGE = {0, 0, 0, 0, 0};

    private static CompletableFuture<Response> call(OkHttpClient client, int port, String grpcTimeout) {
        Request r = new Request.Builder().url("http://127.0.0.1:" + port + "/test.Echo/Say").header("Host", OneService.AUTHORITY)
                .header("content-type", "application/grpc").header("te", "trailers").header("grpc-timeout", grpcTimeout)
                .post(RequestBody.create(EMPTY_MESSAGE, MediaType.get("application/grpc"))).build();
        return CompletableFuture.supplyAsync(() -> {
            try {
                return client.newCall(r).execute();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, Async.THREAD_PER_TASK);
    }

    /**
     * Calls with {@code grpcTimeout}; the call must end exactly {@code ms} of proxy time after it reached the
     * backend, which would answer only after a minute of wall-clock time (closing it interrupts that).
     */
    private static void expire(VirtualTime time, long ms, OkHttpClient client, MeshProxy proxy, String grpcTimeout,
                               TestBackend backend) throws Exception {
        CompletableFuture<Response> answer = call(client, proxy.port(), grpcTimeout);
        // The route timer starts once the whole request is read (the DATA frame with END_STREAM), which may be
        // after the backend saw the headers: wait for the body there and for the timer here before moving time.
        await().atMost(Duration.ofSeconds(10)).until(() -> backend.received().size() == 1);
        time.awaitTimers(1, Duration.ofSeconds(10));
        assertThat(time.nextTimerIn()).isEqualTo(Duration.ofMillis(ms));
        time.advance(Duration.ofMillis(ms - 1));
        assertThat(answer).isNotDone();
        time.advance(Duration.ofMillis(1));
        try (Response r = answer.get(10, TimeUnit.SECONDS)) {
            assertThat(r.code()).isEqualTo(200);
            assertThat(r.header("grpc-status")).isEqualTo("14");
            assertThat(r.header("grpc-message")).isEqualTo("upstream request timeout");
        }
    }

    @Test
    void grpcTimeoutShorterThanTheRouteTimeoutEndsTheCall() throws Exception {
        VirtualTime time = VirtualTime.create();
        OkHttpClient client = new OkHttpClient.Builder().protocols(List.of(Protocol.H2_PRIOR_KNOWLEDGE)).build();
        try (TestBackend backend = TestBackend.scripted("svc", n -> TestBackend.Reply.ok("late").delayed(60_000));
             MeshProxy proxy = MeshProxy.builder().virtualTime(time).config(OneService.config(backend.port(),
                     "timeout: 10s")).start()) {
            expire(time, 250, client, proxy, "250m", backend);
            Exchange e = awaitExchange(proxy, "/test.Echo/Say");
            assertThat(e.flags()).contains(ResponseFlag.UT);
            assertThat(e.grpcStatus()).isEqualTo("14");
        } finally {
            client.dispatcher().executorService().shutdown();
            client.connectionPool().evictAll();
        }
    }

    @Test
    void theRouteTimeoutBoundsALongerGrpcTimeout() throws Exception {
        VirtualTime time = VirtualTime.create();
        OkHttpClient client = new OkHttpClient.Builder().protocols(List.of(Protocol.H2_PRIOR_KNOWLEDGE)).build();
        try (TestBackend backend = TestBackend.scripted("svc", n -> TestBackend.Reply.ok("late").delayed(60_000));
             MeshProxy proxy = MeshProxy.builder().virtualTime(time).config(OneService.config(backend.port(),
                     "timeout: 300ms")).start()) {
            expire(time, 300, client, proxy, "1H", backend);
        } finally {
            client.dispatcher().executorService().shutdown();
            client.connectionPool().evictAll();
        }
    }
}
