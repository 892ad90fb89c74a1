package dev.meshunit.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.meshunit.assertj.MeshAssertions;

import dev.meshunit.journal.Exchange;
import dev.meshunit.journal.ResponseFlag;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The acceptance with a grpc-java client and server through {@code @MeshTest}: UNAVAILABLE from an
 * injected grpcStatus abort, a retry by the proxy on {@code unavailable}, DEADLINE_EXCEEDED behind a delay.
 */
@MeshTest(config = "mesh/grpc")
class GrpcMeshTest {
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
    static final MethodDescriptor<byte[], byte[]> SAY = MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY).setFullMethodName("test.Echo/Say")
            .setRequestMarshaller(BYTES).setResponseMarshaller(BYTES).build();
    /** Calls the server saw; its first call of each test fails with UNAVAILABLE. */
    static final AtomicInteger CALLS = new AtomicInteger();
    static final Server SERVER = start();
    @Backend("echo") static final int PORT = SERVER.getPort();

    private static Server start() {
        return serve((req, out) -> {
            if (CALLS.incrementAndGet() == 1) {
                out.onError(Status.UNAVAILABLE.withDescription("warming up").asRuntimeException());
                return;
            }
            out.onNext(req);
            out.onCompleted();
        });
    }

    /** A grpc-java server on 127.0.0.1 whose {@code test.Echo/Say} is {@code say}. */
    static Server serve(ServerCalls.UnaryMethod<byte[], byte[]> say) {
        ServerServiceDefinition echo = ServerServiceDefinition.builder("test.Echo")
                .addMethod(SAY, ServerCalls.asyncUnaryCall(say)).build();
        try {
            return NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(echo).build().start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    static void stop() throws InterruptedException {
        SERVER.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }

    private static byte[] call(Mesh mesh, String testCase, long deadlineMs) throws InterruptedException {
        Metadata md = new Metadata();
        md.put(Metadata.Key.of("x-case", Metadata.ASCII_STRING_MARSHALLER), testCase);
        ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", mesh.proxy().port()).usePlaintext()
                .overrideAuthority("echo:9090").disableRetry()
                .intercept(MetadataUtils.newAttachHeadersInterceptor(md)).build();
        try {
            return ClientCalls.blockingUnaryCall(ch, SAY,
                    CallOptions.DEFAULT.withDeadlineAfter(deadlineMs, TimeUnit.MILLISECONDS), new byte[] {7});
        } finally {
            ch.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void anInjectedGrpcStatusAbortIsUnavailable(Mesh mesh) {
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, () -> call(mesh, "abort", 20_000));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        List<Exchange> calls = mesh.exchanges("echo");
        assertThat(calls).singleElement().satisfies(x -> {
            MeshAssertions.assertThat(x).hasGrpcStatus("UNAVAILABLE").hasGrpcStatus("14").hasFlag(ResponseFlag.FI);
            assertThatThrownBy(() -> MeshAssertions.assertThat(x).hasGrpcStatus("OK"))
                    .hasMessageContaining("expected grpc-status OK but was UNAVAILABLE (14)");
            assertThat(x.hasFlag(ResponseFlag.FI)).isTrue();
            assertThat(x.attempts()).isEmpty();
        });
    }

    @Test
    void unavailableIsRetriedByTheProxyWhenTheVirtualServiceSaysSo(Mesh mesh) throws Exception {
        CALLS.set(0);
        assertThat(call(mesh, "retry", 20_000)).containsExactly(7);
        Exchange x = mesh.exchanges("echo").get(0);
        assertThat(x.attempts()).hasSize(2);
        MeshAssertions.assertThat(x).hasGrpcStatus("OK");
        assertThat(CALLS.get()).isEqualTo(2);
    }

    @Test
    void aDelayOutlastingTheDeadlineEndsInDeadlineExceeded(Mesh mesh) {
        // Wall clock: the client's 300 ms deadline against the proxy's 5 s delay; only the order matters.
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, () -> call(mesh, "delay", 300));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    }
}
