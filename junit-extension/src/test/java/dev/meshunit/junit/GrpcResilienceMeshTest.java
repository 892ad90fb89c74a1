package dev.meshunit.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.meshunit.assertj.MeshAssertions;
import dev.meshunit.fault.CallKey;
import dev.meshunit.journal.Exchange;
import dev.meshunit.journal.ResponseFlag;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * gRPC faults from the JUnit side with grpc-java's own client, its retry policy from a service config
 * ({@code enableRetry()} and a {@code retryPolicy}) and its deadlines: {@code @InjectAbort(grpcStatus)}, the
 * run-time {@code mesh.faults().abortGrpc(..)}, and the resilience checks over gRPC calls (a logical call is the
 * service and method, or the service and method with a call-key header).
 */
@MeshTest(config = "mesh/grpc-resilience")
class GrpcResilienceMeshTest {
    /** Statuses the server fails its next calls with, then it echoes. */
    static final Queue<Status> FAIL_NEXT = new ConcurrentLinkedQueue<>();
    static final AtomicInteger CALLS = new AtomicInteger();
    static final Server SERVER = start();
    @Backend("echo") static final int PORT = SERVER.getPort();

    private static Server start() {
        return GrpcMeshTest.serve((req, out) -> {
            CALLS.incrementAndGet();
            Status failure = FAIL_NEXT.poll();
            if (failure != null) {
                out.onError(failure.asRuntimeException());
                return;
            }
            out.onNext(req);
            out.onCompleted();
        });
    }

    @AfterAll
    static void stop() throws InterruptedException {
        SERVER.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }

    @BeforeEach
    void reset() {
        FAIL_NEXT.clear();
        CALLS.set(0);
    }

    /** grpc-java's retry policy, as a service config gives it: 3 tries on UNAVAILABLE and RESOURCE_EXHAUSTED. */
    static final Map<String, Object> RETRYING = Map.of("methodConfig", List.of(Map.of(
            "name", List.of(Map.of("service", "test.Echo")),
            "retryPolicy", Map.of("maxAttempts", 3.0, "initialBackoff", "0.01s", "maxBackoff", "0.05s",
                    "backoffMultiplier", 2.0, "retryableStatusCodes", List.of("UNAVAILABLE", "RESOURCE_EXHAUSTED")))));

    private static ManagedChannel channel(Mesh mesh, boolean clientRetries, String callId) {
        NettyChannelBuilder b = NettyChannelBuilder.forAddress("127.0.0.1", mesh.proxy().port()).usePlaintext()
                .overrideAuthority("echo:9090");
        if (clientRetries) {
            b.defaultServiceConfig(RETRYING).enableRetry();
        } else {
            b.disableRetry();
        }
        if (callId != null) {
            Metadata md = new Metadata();
            md.put(Metadata.Key.of("x-call-id", Metadata.ASCII_STRING_MARSHALLER), callId);
            b.intercept(MetadataUtils.newAttachHeadersInterceptor(md));
        }
        return b.build();
    }

    private static Status call(ManagedChannel ch, long deadlineMs) throws InterruptedException {
        try {
            StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, () -> ClientCalls.blockingUnaryCall(
                    ch, GrpcMeshTest.SAY, CallOptions.DEFAULT.withDeadlineAfter(deadlineMs, TimeUnit.MILLISECONDS), new byte[] {7}));
            return e == null ? Status.OK : e.getStatus();
        } finally {
            ch.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    @Test
    @InjectAbort(host = "echo", grpcStatus = "UNAVAILABLE")
    void injectAbortWithAGrpcStatus(Mesh mesh) throws Exception {
        assertThat(call(channel(mesh, false, null), 20_000).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        Exchange x = mesh.exchanges("echo").get(0);
        MeshAssertions.assertThat(x).hasGrpcStatus("UNAVAILABLE").hasFlag(ResponseFlag.FI).hasStatus(200);
        assertThat(x.grpcMessage()).isEqualTo("fault filter abort");
        assertThat(CALLS.get()).as("an abort never reaches the server, nor does the proxy retry it").isZero();
    }

    @Test
    void aRunTimeGrpcAbortOnTheFirstTwoTriesIsRetriedByTheClientsOwnPolicy(Mesh mesh) throws Exception {
        mesh.faults().abortGrpc("echo", "RESOURCE_EXHAUSTED").firstAttempts(2);
        assertThat(call(channel(mesh, true, null), 20_000).getCode()).isEqualTo(Status.Code.OK);
        List<Exchange> tries = mesh.exchanges("echo");
        assertThat(tries).extracting(Exchange::grpcStatusName).containsExactly("RESOURCE_EXHAUSTED", "RESOURCE_EXHAUSTED", "OK");
        MeshAssertions.assertThat(tries).hasBoundedRetries(2).hasInjectedAborts(2);
        assertThatThrownBy(() -> MeshAssertions.assertThat(tries).hasBoundedRetries(1))
                .hasMessageContaining("call POST echo:9090/test.Echo/Say was retried 2 times")
                .hasMessageContaining("200 RESOURCE_EXHAUSTED");
        assertThat(CALLS.get()).isEqualTo(1);
    }

    @Test
    void theClientsRetriesMultiplyTheProxysAndTheChecksCountBoth(Mesh mesh) throws Exception {
        for (int i = 0; i < 3; i++) FAIL_NEXT.add(Status.UNAVAILABLE.withDescription("overloaded " + i));
        assertThat(call(channel(mesh, true, null), 20_000).getCode()).isEqualTo(Status.Code.OK);
        List<Exchange> requests = mesh.exchanges("echo");
        // The client's first request: two tries at the proxy, both UNAVAILABLE; its retry: one more, then OK.
        assertThat(requests).hasSize(2);
        assertThat(requests).extracting(e -> e.attempts().size()).containsExactly(2, 2);
        assertThat(CALLS.get()).isEqualTo(4);
        MeshAssertions.assertThat(requests).hasBoundedRetries(3);
        assertThatThrownBy(() -> MeshAssertions.assertThat(requests).hasBoundedRetries(2))
                .hasMessageContaining("was retried 3 times");
    }

    @Test
    void aCallKeyHeaderTellsCallsOfOneMethodApart(Mesh mesh) throws Exception {
        mesh.faults().abortGrpc("echo", "UNAVAILABLE").firstAttempts(1, CallKey.header("x-call-id"));
        assertThat(call(channel(mesh, true, "a"), 20_000).getCode()).isEqualTo(Status.Code.OK);
        assertThat(call(channel(mesh, true, "b"), 20_000).getCode()).isEqualTo(Status.Code.OK);
        List<Exchange> requests = mesh.exchanges("echo");
        assertThat(requests).extracting(Exchange::grpcStatusName).containsExactly("UNAVAILABLE", "OK", "UNAVAILABLE", "OK");
        MeshAssertions.assertThat(requests).byCall(CallKey.header("x-call-id")).hasBoundedRetries(1);
        assertThatThrownBy(() -> MeshAssertions.assertThat(requests).byCall(CallKey.header("x-call-id")).hasBoundedRetries(0))
                .as("a gRPC call's key is its service and method with the header's value")
                .hasMessageContaining("call /test.Echo/Say a was retried 1 times");
    }

    @Test
    @InjectDelay(host = "echo", delay = "10s")
    void aDeadlineShorterThanADelayEndsTheCallAndTheProxySeesTheClientGiveUp(Mesh mesh) throws Exception {
        // Wall clock: the client's 300 ms deadline against the proxy's 10 s delay; bounds are generous.
        assertThat(call(channel(mesh, true, null), 300).getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
        List<Exchange> requests = mesh.awaitRequests("echo", RequestCount.exactly(1), Duration.ofSeconds(10));
        assertThat(requests.get(0).hasFlag(ResponseFlag.DC)).isTrue();
        assertThat(requests.get(0).hasFlag(ResponseFlag.DI)).isTrue();
        MeshAssertions.assertThat(requests).gaveUpWithin(Duration.ofSeconds(5));
        assertThatThrownBy(() -> MeshAssertions.assertThat(requests).gaveUpWithin(Duration.ofMillis(100)))
                .hasMessageContaining("expected the client to give up on a request within 100.0 ms");
        assertThat(CALLS.get()).isZero();
    }
}
