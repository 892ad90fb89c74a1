package dev.meshunit.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dev.meshunit.MeshProxy;
import dev.meshunit.journal.Exchange;
import dev.meshunit.journal.ResponseFlag;
import dev.meshunit.testing.NoLeaks;
import dev.meshunit.testing.OneService;
import dev.meshunit.testing.TestBackend;
import dev.meshunit.VirtualTime;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A grpc-java client through the proxy: gRPC faults and local replies as Envoy gives them, journalled. */
@ExtendWith(NoLeaks.class)
class GrpcDownstreamTest {
    private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };
    static final MethodDescriptor<byte[], byte[]> ECHO = MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY).setFullMethodName("test.Echo/Say")
            .setRequestMarshaller(BYTES).setResponseMarshaller(BYTES).build();

    private static ManagedChannel channel(MeshProxy proxy, String authority) {
        return NettyChannelBuilder.forAddress("127.0.0.1", proxy.port()).usePlaintext().overrideAuthority(authority)
                .disableRetry().build();
    }

    private static Status call(ManagedChannel ch, CallOptions options) {
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
                () -> ClientCalls.blockingUnaryCall(ch, ECHO, options, new byte[] {1, 2, 3}));
        assertThat(e).as("the call failed").isNotNull();
        return e.getStatus();
    }

    private static void shutdown(ManagedChannel ch) throws InterruptedException {
        ch.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }

    @Test
    void anInjectedGrpcStatusAbortIsTrailersOnlyUnavailable() throws Exception {
        try (TestBackend backend = TestBackend.named("svc");
             MeshProxy proxy = MeshProxy.builder().config(OneService.config(backend.port(),
                     "fault: {abort: {grpcStatus: UNAVAILABLE, percentage: {value: 100}}}")).start()) {
            ManagedChannel ch = channel(proxy, OneService.AUTHORITY);
            try {
                assertThat(call(ch, CallOptions.DEFAULT).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            } finally {
                shutdown(ch);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> proxy.journal().exchanges().size() == 1);
            Exchange e = proxy.journal().exchanges().get(0);
            assertThat(e.path()).isEqualTo("/test.Echo/Say");
            assertThat(e.protocol()).isEqualTo("HTTP/2");
            assertThat(e.status()).isEqualTo(200);
            assertThat(e.grpcStatus()).isEqualTo("14");
            assertThat(e.flags()).contains(ResponseFlag.FI);
            assertThat(backend.count()).isZero();
        }
    }

    @Test
    void aLocalReplyToAGrpcCallIsInGrpcFormWithTheStatusEnvoyMapsTo() throws Exception {
        try (TestBackend backend = TestBackend.named("svc");
             MeshProxy proxy = MeshProxy.builder().config(OneService.config(backend.port(),
                     "fault: {abort: {httpStatus: 503, percentage: {value: 100}}}")).start()) {
            ManagedChannel unknown = channel(proxy, "nothere:80");
            ManagedChannel aborted = channel(proxy, OneService.AUTHORITY);
            try {
                Status nr = call(unknown, CallOptions.DEFAULT);
                assertThat(nr.getCode()).isEqualTo(Status.Code.UNIMPLEMENTED); // 404 NR
                Status fi = call(aborted, CallOptions.DEFAULT);
                assertThat(fi.getCode()).isEqualTo(Status.Code.UNAVAILABLE); // 503
                assertThat(fi.getDescription()).isEqualTo("fault filter abort");
            } finally {
                shutdown(unknown);
                shutdown(aborted);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> proxy.journal().exchanges().size() == 2);
            assertThat(proxy.journal().exchanges()).extracting(Exchange::grpcStatus).containsExactlyInAnyOrder("12", "14");
            assertThat(proxy.journal().exchanges()).filteredOn(x -> "14".equals(x.grpcStatus()))
                    .extracting(Exchange::grpcMessage).containsExactly("fault filter abort");
        }
    }

    @Test
    void aDelayOutlastingTheClientsDeadlineEndsInDeadlineExceeded() throws Exception {
        VirtualTime time = VirtualTime.create();
        try (TestBackend backend = TestBackend.named("svc");
             MeshProxy proxy = MeshProxy.builder().virtualTime(time).config(OneService.config(backend.port(),
                     "fault: {delay: {fixedDelay: 5s, percentage: {value: 100}}}")).start()) {
            ManagedChannel ch = channel(proxy, OneService.AUTHORITY);
            try {
                // The proxy's delay stands still on virtual time; the client's own deadline runs on the wall
                // clock, so the outcome cannot depend on the machine's load.
                Status s = call(ch, CallOptions.DEFAULT.withDeadlineAfter(300, TimeUnit.MILLISECONDS));
                assertThat(s.getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
            } finally {
                shutdown(ch);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> proxy.journal().exchanges().size() == 1);
            Exchange e = proxy.journal().exchanges().get(0);
            assertThat(e.flags()).contains(ResponseFlag.DC);
            assertThat(e.fault().delayMs()).isEqualTo(5000);
            assertThat(backend.count()).isZero();
        }
    }
}
