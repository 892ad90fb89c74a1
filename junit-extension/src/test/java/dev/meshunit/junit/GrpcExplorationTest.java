package dev.meshunit.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** {@link ExploredFault#GRPC_UNAVAILABLE}: each gRPC method in turn gets UNAVAILABLE; a caller that survives it passes. */
class GrpcExplorationTest {
    static final MethodDescriptor<byte[], byte[]> SHOUT = GrpcMeshTest.SAY.toBuilder().setFullMethodName("test.Echo/Shout").build();
    static final Server SERVER = start();

    private static Server start() {
        ServerCalls.UnaryMethod<byte[], byte[]> echo = (req, out) -> {
            out.onNext(req);
            out.onCompleted();
        };
        try {
            return NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(ServerServiceDefinition
                    .builder("test.Echo").addMethod(GrpcMeshTest.SAY, ServerCalls.asyncUnaryCall(echo))
                    .addMethod(SHOUT, ServerCalls.asyncUnaryCall(echo)).build()).build().start();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @AfterAll
    static void stop() throws InterruptedException {
        SERVER.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }

    @Test
    void eachMethodGetsUnavailableInTurnAndOnlyTheUnguardedOneFails() {
        EngineExecutionResults r = FaultExplorationTest.run(GrpcCalls.class);

        assertThat(FaultExplorationTest.names(r.testEvents().succeeded())).containsExactly(
                "[1] no faults (records the calls)", "[2] echo POST /test.Echo/Say × grpc UNAVAILABLE");
        assertThat(FaultExplorationTest.names(r.testEvents().failed()))
                .containsExactly("[3] echo POST /test.Echo/Shout × grpc UNAVAILABLE");
        assertThat(r.testEvents().failed().stream().map(e -> e.getRequiredPayload(TestExecutionResult.class)
                .getThrowable().orElseThrow())).singleElement().satisfies(t -> assertThat(t)
                        .isInstanceOf(StatusRuntimeException.class).hasMessageStartingWith("UNAVAILABLE"));
    }

    @MeshTest(config = "mesh/grpc-resilience")
    static class GrpcCalls {
        @Backend("echo") static final int PORT = SERVER.getPort();

        @ExploreFaults(faults = ExploredFault.GRPC_UNAVAILABLE)
        void calls(Mesh mesh) throws Exception {
            ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", mesh.proxy().port()).usePlaintext()
                    .overrideAuthority("echo:9090").disableRetry().build();
            try {
                try {
                    ClientCalls.blockingUnaryCall(ch, GrpcMeshTest.SAY, CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS), new byte[] {1});
                } catch (StatusRuntimeException e) {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE); // the caller's fallback
                }
                ClientCalls.blockingUnaryCall(ch, SHOUT, CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS), new byte[] {2});
            } finally {
                ch.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
            }
        }
    }
}
