package dev.meshunit.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshunit.MeshProxy;
import dev.meshunit.config.IstioConfig;
import dev.meshunit.config.load.ConfigLoader;
import dev.meshunit.journal.Exchange;
import dev.meshunit.testing.Async;
import dev.meshunit.testing.NoLeaks;
import io.grpc.Attributes;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServerTransportFilter;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A grpc-java client and server through the proxy, upstream over HTTP/2 to a ServiceEntry port of protocol GRPC. */
@ExtendWith(NoLeaks.class)
class GrpcUpstreamTest {
    static IstioConfig config(int port, String routeFields) {
        return config(port, routeFields, "");
    }

    private static IstioConfig config(int port, String routeFields, String moreDocuments) {
        return ConfigLoader.create().withPlaceholders(Map.of("port", "" + port)::get).loadString("echo.yaml", """
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: echo}
                spec:
                  hosts: [echo]
                  location: MESH_INTERNAL
                  resolution: STATIC
                  ports: [{number: 9090, name: grpc, protocol: GRPC}]
                  endpoints:
                  - {address: 127.0.0.1, ports: {grpc: "${port}"}}
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: echo}
                spec:
                  hosts: [echo]
                  http:
                  - route: [{destination: {host: echo}}]
                """ + "    " + routeFields + "\n" + moreDocuments).orThrow();
    }

    /** Fails the first {@code failures} calls with UNAVAILABLE, then echoes. */
    private static Server server(AtomicInteger calls, int failures) throws Exception {
        return server(calls, failures, new AtomicInteger());
    }

    private static Server server(AtomicInteger calls, int failures, AtomicInteger connections) throws Exception {
        ServerServiceDefinition echo = ServerServiceDefinition.builder("test.Echo")
                .addMethod(GrpcDownstreamTest.ECHO, ServerCalls.asyncUnaryCall((req, out) -> {
                    if (calls.incrementAndGet() <= failures) {
                        out.onError(Status.UNAVAILABLE.withDescription("not yet").asRuntimeException());
                        return;
                    }
                    out.onNext(req);
                    out.onCompleted();
                })).build();
        return NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(echo)
                .addTransportFilter(new ServerTransportFilter() {
                    @Override
                    public Attributes transportReady(Attributes attributes) {
                        connections.incrementAndGet();
                        return attributes;
                    }
                }).build().start();
    }

    @Test
    void anUnavailableAnswerIsRetriedByTheProxyOnUnavailable() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Server server = server(calls, 1);
        try (MeshProxy proxy = MeshProxy.builder().config(config(server.getPort(),
                "retries: {attempts: 2, retryOn: unavailable}")).start()) {
            ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", proxy.port()).usePlaintext()
                    .overrideAuthority("echo:9090").disableRetry().build();
            try {
                byte[] answer = ClientCalls.blockingUnaryCall(ch, GrpcDownstreamTest.ECHO,
                        CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS), new byte[] {4, 2});
                assertThat(answer).containsExactly(4, 2);
            } finally {
                ch.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> proxy.journal().exchanges().size() == 1);
            Exchange e = proxy.journal().exchanges().get(0);
            assertThat(e.attempts()).hasSize(2);
            assertThat(e.attempts().get(0).status()).isEqualTo(200);
            assertThat(e.grpcStatus()).isEqualTo("0");
            assertThat(e.protocol()).isEqualTo("HTTP/2");
            assertThat(calls.get()).isEqualTo(2);
        } finally {
            server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void manyCallsShareOneUpstreamConnection() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        AtomicInteger connections = new AtomicInteger();
        Server server = server(calls, 0, connections);
        try (MeshProxy proxy = MeshProxy.builder().config(config(server.getPort(), "")).start()) {
            ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", proxy.port()).usePlaintext()
                    .overrideAuthority("echo:9090").build();
            try {
                for (int i = 0; i < 10; i++) {
                    assertThat(ClientCalls.blockingUnaryCall(ch, GrpcDownstreamTest.ECHO,
                            CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS), new byte[] {(byte) i}))
                            .containsExactly(i);
                }
            } finally {
                ch.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> proxy.journal().exchanges().size() == 10);
            assertThat(proxy.journal().exchanges()).allSatisfy(x -> {
                assertThat(x.grpcStatus()).isEqualTo("0");
                assertThat(x.attempts()).hasSize(1);
            });
            assertThat(connections.get()).as("upstream HTTP/2 connections").isEqualTo(1);
        } finally {
            server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void http2MaxRequestsCountsStreamsAndOverflowsWithUo() throws Exception {
        java.util.concurrent.CountDownLatch hold = new java.util.concurrent.CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        ServerServiceDefinition slow = ServerServiceDefinition.builder("test.Echo")
                .addMethod(GrpcDownstreamTest.ECHO, ServerCalls.asyncUnaryCall((req, out) -> {
                    calls.incrementAndGet();
                    try {
                        hold.await(20, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    out.onNext(req);
                    out.onCompleted();
                })).build();
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(slow).build().start();
        String rule = """
                ---
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: echo}
                spec:
                  host: echo
                  trafficPolicy: {connectionPool: {http: {http2MaxRequests: 1}}}
                """;
        IstioConfig withRule = config(server.getPort(), "", rule);
        try (MeshProxy proxy = MeshProxy.builder().config(withRule).start()) {
            ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", proxy.port()).usePlaintext()
                    .overrideAuthority("echo:9090").disableRetry().build();
            try {
                var first = java.util.concurrent.CompletableFuture.supplyAsync(() -> ClientCalls.blockingUnaryCall(ch,
                        GrpcDownstreamTest.ECHO, CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS), new byte[] {1}),
                        Async.THREAD_PER_TASK);
                await().atMost(Duration.ofSeconds(10)).until(() -> calls.get() == 1);
                io.grpc.StatusRuntimeException second = org.assertj.core.api.Assertions.catchThrowableOfType(
                        io.grpc.StatusRuntimeException.class, () -> ClientCalls.blockingUnaryCall(ch,
                                GrpcDownstreamTest.ECHO, CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS), new byte[] {2}));
                assertThat(second.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                hold.countDown();
                assertThat(first.join()).containsExactly(1);
            } finally {
                hold.countDown();
                ch.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> proxy.journal().exchanges().size() == 2);
            assertThat(proxy.journal().exchanges()).filteredOn(x -> x.hasFlag(dev.meshunit.journal.ResponseFlag.UO))
                    .singleElement().satisfies(x -> assertThat(x.grpcStatus()).isEqualTo("14"));
            assertThat(calls.get()).isEqualTo(1);
        } finally {
            server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }
}
