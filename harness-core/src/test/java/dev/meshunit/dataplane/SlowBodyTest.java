package dev.meshunit.dataplane;

import static dev.meshunit.testing.Journals.awaitExchange;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshunit.MeshProxy;
import dev.meshunit.VirtualTime;
import dev.meshunit.fault.Fault;
import dev.meshunit.journal.Exchange;
import dev.meshunit.journal.ResponseFlag;
import dev.meshunit.testing.Async;
import dev.meshunit.testing.OneService;
import dev.meshunit.testing.TestBackend;
import java.io.InputStream;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okio.BufferedSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A slow body goes out on the proxy's timers: on virtual time, each piece arrives exactly when the test advances. */
class SlowBodyTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration WAIT = Duration.ofSeconds(10);
    private final TestBackend svc = TestBackend.named("svc");
    private final VirtualTime time = VirtualTime.startingAt(T0);
    private MeshProxy proxy;

    @AfterEach
    void stop() {
        if (proxy != null) proxy.close();
        svc.close();
    }

    private void start() {
        proxy = MeshProxy.builder().virtualTime(time).config(OneService.config(svc.port())).ioThreads(1).start();
        proxy.faults().inject("svc", new Fault.SlowBody(10, 4, Duration.ofSeconds(1)));
    }

    /** Advances one interval less a millisecond (nothing comes), then the last millisecond (the piece comes). */
    private <T> T nextPiece(java.util.function.Supplier<T> reading) throws Exception {
        CompletableFuture<T> read = CompletableFuture.supplyAsync(reading, Async.THREAD_PER_TASK);
        time.awaitTimers(1, WAIT);
        assertThat(time.nextTimerIn()).isEqualTo(Duration.ofSeconds(1));
        time.advance(Duration.ofMillis(999));
        assertThat(read).isNotDone();
        time.advance(Duration.ofMillis(1));
        return read.get(10, TimeUnit.SECONDS);
    }

    @Test
    void theJdkClientReadsFourBytesPerVirtualSecond() throws Exception {
        start();
        HttpClient client = HttpClient.newBuilder().proxy(ProxySelector.of(proxy.address())).build();
        HttpResponse<InputStream> r = client.sendAsync(HttpRequest.newBuilder(URI.create("http://svc:8080/slow")).build(),
                HttpResponse.BodyHandlers.ofInputStream()).get(10, TimeUnit.SECONDS);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-length")).hasValue("10");
        InputStream in = r.body();
        assertThat(nextPiece(() -> read(in, 4))).isEqualTo("xxxx");
        assertThat(nextPiece(() -> read(in, 4))).isEqualTo("xxxx");
        assertThat(nextPiece(() -> read(in, 3))).isEqualTo("xx");
        Exchange e = awaitExchange(proxy, "/slow");
        assertThat(e.fault().http()).isEqualTo("slow_body");
        assertThat(e.flags()).containsExactly(ResponseFlag.FI);
        assertThat(e.status()).isEqualTo(200);
        assertThat(e.durationMs()).isEqualTo(3000.0);
        assertThat(svc.count()).isZero();
    }

    @Test
    void okHttpSeesTheSamePacing() throws Exception {
        start();
        OkHttpClient client = new OkHttpClient.Builder().proxy(new Proxy(Proxy.Type.HTTP, proxy.address()))
                .readTimeout(Duration.ZERO).build();
        try (Response r = client.newCall(new Request.Builder().url("http://svc:8080/slow").build()).execute()) {
            BufferedSource body = r.body().source();
            for (int piece : new int[] {4, 4, 2}) {
                assertThat(nextPiece(() -> require(body, piece))).hasSize(piece);
            }
            assertThat(body.exhausted()).isTrue();
        }
        assertThat(awaitExchange(proxy, "/slow").durationMs()).isEqualTo(3000.0);
    }

    /** Reads up to {@code n} bytes, stopping early at the end of the body. */
    private static String read(InputStream in, int n) {
        try {
            return new String(in.readNBytes(n), java.nio.charset.StandardCharsets.US_ASCII);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String require(BufferedSource body, int n) {
        try {
            return body.readUtf8(n);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
