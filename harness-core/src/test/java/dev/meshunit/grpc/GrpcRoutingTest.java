package dev.meshunit.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshunit.MeshProxy;
import dev.meshunit.VirtualTime;
import dev.meshunit.config.IstioConfig;
import dev.meshunit.config.load.ConfigLoader;
import dev.meshunit.journal.Exchange;
import dev.meshunit.journal.ResponseFlag;
import dev.meshunit.journal.ShadowExchange;
import dev.meshunit.testing.NoLeaks;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * gRPC calls of a grpc-java client routed as Istio routes them: on {@code :path} ({@code /package.Service/Method},
 * uri exact, prefix and regex) and on metadata (headers), mirrored with the {@code -shadow} authority, delayed.
 */
@ExtendWith(NoLeaks.class)
class GrpcRoutingTest {
    static IstioConfig config(GrpcEcho v1, GrpcEcho v2, String extraRoute) {
        return ConfigLoader.create().withPlaceholders(Map.of("v1", "" + v1.port(), "v2", "" + v2.port())::get)
                .loadString("grpc-routing.yaml", """
                        apiVersion: networking.istio.io/v1
                        kind: ServiceEntry
                        metadata: {name: echo}
                        spec:
                          hosts: [echo]
                          location: MESH_INTERNAL
                          resolution: STATIC
                          ports: [{number: 9090, name: grpc, protocol: GRPC}]
                          endpoints:
                          - {address: 127.0.0.1, ports: {grpc: "${v1}"}, labels: {version: v1}}
                          - {address: 127.0.0.1, ports: {grpc: "${v2}"}, labels: {version: v2}}
                        ---
                        apiVersion: networking.istio.io/v1
                        kind: DestinationRule
                        metadata: {name: echo}
                        spec:
                          host: echo
                          subsets:
                          - {name: v1, labels: {version: v1}}
                          - {name: v2, labels: {version: v2}}
                        ---
                        apiVersion: networking.istio.io/v1
                        kind: VirtualService
                        metadata: {name: echo}
                        spec:
                          hosts: [echo]
                          http:
                        %s  - name: shout
                            match: [{uri: {exact: /test.Echo/Shout}}]
                            route: [{destination: {host: echo, subset: v2}}]
                          - name: other
                            match: [{uri: {prefix: /test.Other/}}]
                            route: [{destination: {host: echo, subset: v2}}]
                          - name: gold
                            match: [{uri: {regex: '^/test\\.Echo/S.y$'}, headers: {x-tenant: {exact: gold}}}]
                            route: [{destination: {host: echo, subset: v2}}]
                          - name: default
                            route: [{destination: {host: echo, subset: v1}}]
                        """.formatted(extraRoute)).orThrow();
    }

    static String call(MeshProxy proxy, MethodDescriptor<byte[], byte[]> method, String tenant) throws InterruptedException {
        NettyChannelBuilder b = NettyChannelBuilder.forAddress("127.0.0.1", proxy.port()).usePlaintext()
                .overrideAuthority("echo:9090").disableRetry();
        if (tenant != null) {
            Metadata md = new Metadata();
            md.put(Metadata.Key.of("x-tenant", Metadata.ASCII_STRING_MARSHALLER), tenant);
            b.intercept(MetadataUtils.newAttachHeadersInterceptor(md));
        }
        ManagedChannel ch = b.build();
        try {
            byte[] answer = ClientCalls.blockingUnaryCall(ch, method,
                    CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS), new byte[] {1});
            return new String(answer, StandardCharsets.UTF_8);
        } finally {
            ch.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void callsAreRoutedOnTheirPathAndMetadata() throws Exception {
        try (GrpcEcho v1 = new GrpcEcho("v1"); GrpcEcho v2 = new GrpcEcho("v2");
             MeshProxy proxy = MeshProxy.builder().config(config(v1, v2, "")).start()) {
            assertThat(call(proxy, GrpcEcho.SAY, null)).as("no rule but the default").isEqualTo("v1");
            assertThat(call(proxy, GrpcEcho.SHOUT, null)).as("uri exact").isEqualTo("v2");
            assertThat(call(proxy, GrpcEcho.OTHER, null)).as("uri prefix on the service").isEqualTo("v2");
            assertThat(call(proxy, GrpcEcho.SAY, "gold")).as("uri regex and metadata").isEqualTo("v2");
            assertThat(call(proxy, GrpcEcho.SAY, "silver")).as("metadata that does not match").isEqualTo("v1");
            assertThat(proxy.journal().exchanges()).extracting(e -> e.route().name())
                    .containsExactly("default", "shout", "other", "gold", "default");
            assertThat(v2.methods).containsExactly("test.Echo/Shout", "test.Other/Say", "test.Echo/Say");
            assertThat(proxy.journal().exchanges()).extracting(e -> e.responseTrailers().get("x-served-by"))
                    .as("the trailers the client got, journalled").containsExactly(
                            List.of("v1"), List.of("v2"), List.of("v2"), List.of("v2"), List.of("v1"));
            assertThat(proxy.journal().exchanges().get(0).responseTrailers()).containsEntry("grpc-status", List.of("0"));
            assertThat(dev.meshunit.journal.JournalJson.toJson(proxy.journal().exchanges())).contains("\"responseTrailers\":{");
        }
    }

    @Test
    void aMirroredCallReachesTheShadowWithTheShadowAuthority() throws Exception {
        String mirror = """
                  - name: mirrored
                    match: [{headers: {x-tenant: {exact: mirror}}}]
                    route: [{destination: {host: echo, subset: v1}}]
                    mirror: {host: echo, subset: v2}
                """;
        try (GrpcEcho v1 = new GrpcEcho("v1"); GrpcEcho v2 = new GrpcEcho("v2");
             MeshProxy proxy = MeshProxy.builder().config(config(v1, v2, mirror)).start()) {
            assertThat(call(proxy, GrpcEcho.SAY, "mirror")).as("the client gets the primary's answer").isEqualTo("v1");
            await().atMost(Duration.ofSeconds(10)).until(() -> proxy.journal().shadows().all().size() == 1);
            ShadowExchange s = proxy.journal().shadows().all().get(0);
            Exchange primary = proxy.journal().exchanges().get(0);
            assertThat(s.primaryId()).isEqualTo(primary.id());
            assertThat(s.authority()).isEqualTo("echo-shadow:9090");
            assertThat(s.path()).isEqualTo("/test.Echo/Say");
            assertThat(s.subset()).isEqualTo("v2");
            assertThat(s.status()).isEqualTo(200);
            assertThat(s.response().header("grpc-status")).as("the shadow's trailers, kept").isEqualTo("0");
            assertThat(v2.authorities).containsExactly("echo-shadow:9090");
            assertThat(v1.authorities).containsExactly("echo:9090");
        }
    }

    @Test
    void aDelayHoldsTheCallForExactlyItsDuration() throws Exception {
        String delayed = """
                  - name: delayed
                    match: [{headers: {x-tenant: {exact: slow}}}]
                    fault: {delay: {fixedDelay: 2s, percentage: {value: 100}}}
                    route: [{destination: {host: echo, subset: v1}}]
                """;
        VirtualTime time = VirtualTime.create();
        try (GrpcEcho v1 = new GrpcEcho("v1"); GrpcEcho v2 = new GrpcEcho("v2");
             MeshProxy proxy = MeshProxy.builder().virtualTime(time).config(config(v1, v2, delayed)).start()) {
            CompletableFuture<String> answer = CompletableFuture.supplyAsync(() -> {
                try {
                    return call(proxy, GrpcEcho.SAY, "slow");
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }, r -> new Thread(r, "grpc-call").start());
            time.awaitTimers(1, Duration.ofSeconds(10));
            time.advance(Duration.ofMillis(1999));
            assertThat(v1.calls.get()).as("still delayed").isZero();
            time.advance(Duration.ofMillis(1));
            assertThat(answer.get(20, TimeUnit.SECONDS)).isEqualTo("v1");
            await().atMost(Duration.ofSeconds(10)).until(() -> proxy.journal().exchanges().size() == 1);
            Exchange e = proxy.journal().exchanges().get(0);
            assertThat(e.hasFlag(ResponseFlag.DI)).isTrue();
            assertThat(e.durationMs()).isEqualTo(2000.0);
            assertThat(e.grpcStatusName()).isEqualTo("OK");
        }
    }
}
