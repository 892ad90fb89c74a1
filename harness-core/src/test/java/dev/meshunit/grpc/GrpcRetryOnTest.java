package dev.meshunit.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dev.meshunit.MeshProxy;
import dev.meshunit.config.IstioConfig;
import dev.meshunit.journal.Exchange;
import dev.meshunit.testing.NoLeaks;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each of Envoy's gRPC retryOn conditions, read from the {@code grpc-status} of a trailers-only answer of a
 * grpc-java server: the condition retries its status, and a policy without it does not.
 */
@ExtendWith(NoLeaks.class)
class GrpcRetryOnTest {
    static IstioConfig config(int port, String retryOn) {
        return GrpcUpstreamTest.config(port, "retries: {attempts: 3, retryOn: \"" + retryOn + "\"}");
    }

    static Status.Code call(MeshProxy proxy) throws InterruptedException {
        ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", proxy.port()).usePlaintext()
                .overrideAuthority("echo:9090").disableRetry().build();
        try {
            StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, () -> ClientCalls.blockingUnaryCall(
                    ch, GrpcEcho.SAY, CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS), new byte[] {1}));
            return e == null ? Status.Code.OK : e.getStatus().getCode();
        } finally {
            ch.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    @ParameterizedTest(name = "{0} retries {1}")
    @CsvSource({"cancelled, CANCELLED, 1", "deadline-exceeded, DEADLINE_EXCEEDED, 4", "internal, INTERNAL, 13",
        "resource-exhausted, RESOURCE_EXHAUSTED, 8", "unavailable, UNAVAILABLE, 14"})
    void theConditionRetriesItsStatus(String condition, Status.Code code, int number) throws Exception {
        try (GrpcEcho server = new GrpcEcho("ok");
             MeshProxy proxy = MeshProxy.builder().config(config(server.port(), condition)).start()) {
            server.failNext.add(Status.fromCode(code).withDescription("first"));
            server.failNext.add(Status.fromCode(code).withDescription("second"));
            assertThat(call(proxy)).isEqualTo(Status.Code.OK);
            await().atMost(Duration.ofSeconds(10)).until(() -> proxy.journal().exchanges().size() == 1);
            Exchange e = proxy.journal().exchanges().get(0);
            assertThat(e.attempts()).hasSize(3);
            assertThat(e.attempts()).allSatisfy(a -> assertThat(a.status()).isEqualTo(200));
            assertThat(e.grpcStatusName()).isEqualTo("OK");
            assertThat(server.calls.get()).isEqualTo(3);
        }
    }

    @ParameterizedTest(name = "without {0}, {1} is not retried")
    @CsvSource({"cancelled, UNAVAILABLE", "deadline-exceeded, INTERNAL", "internal, RESOURCE_EXHAUSTED",
        "resource-exhausted, CANCELLED", "unavailable, DEADLINE_EXCEEDED"})
    void anotherStatusIsNotRetried(String condition, Status.Code code) throws Exception {
        try (GrpcEcho server = new GrpcEcho("ok");
             MeshProxy proxy = MeshProxy.builder().config(config(server.port(), condition)).start()) {
            server.failNext.add(Status.fromCode(code).withDescription("no retry"));
            assertThat(call(proxy)).isEqualTo(code);
            await().atMost(Duration.ofSeconds(10)).until(() -> proxy.journal().exchanges().size() == 1);
            Exchange e = proxy.journal().exchanges().get(0);
            assertThat(e.attempts()).hasSize(1);
            assertThat(e.grpcStatusName()).isEqualTo(code.name());
            assertThat(e.grpcMessage()).isEqualTo("no retry");
            assertThat(server.calls.get()).isEqualTo(1);
        }
    }
}
