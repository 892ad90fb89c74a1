package dev.meshunit.dataplane;

import static dev.meshunit.testing.Configs.serviceEntry;
import static dev.meshunit.testing.Configs.yaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.meshunit.MeshProxy;
import dev.meshunit.config.IstioConfig;
import dev.meshunit.journal.Exchange;
import dev.meshunit.journal.ResponseFlag;
import dev.meshunit.testing.Concurrent;
import dev.meshunit.testing.OneService;
import dev.meshunit.testing.RawHttp;
import dev.meshunit.testing.RawUpstream;
import dev.meshunit.testing.TestBackend;
import dev.meshunit.testing.TestBackend.Reply;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.Test;

/** DestinationRule connectionPool: cluster-wide limits, overflow answered as Envoy does (503 UO). */
class CircuitBreakingTest {
    private static final String OVERFLOW =
            "upstream connect error or disconnect/reset before headers. reset reason: overflow";

    static String rule(String host, String connectionPool) {
        return """
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: %s}
                spec:
                  host: %s
                  trafficPolicy:
                    connectionPool: %s
                ---
                """.formatted(host, host, connectionPool);
    }

    /** {@code n} requests sent at once, each on its own connection. */
    static List<RawHttp.Response> burst(MeshProxy proxy, String authority, int n) {
        CyclicBarrier start = new CyclicBarrier(n);
        return Concurrent.run(n, n, i -> {
            try (RawHttp c = new RawHttp(proxy.port())) {
                start.await();
                return c.send("GET", authority, "/get/" + i, null);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    static void assertOverflowAnswers(MeshProxy proxy, List<RawHttp.Response> responses) {
        for (RawHttp.Response r : responses) {
            if (r.status() == 200) continue;
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.header("x-envoy-overloaded")).isEqualTo("true");
            assertThat(r.body()).isEqualTo(OVERFLOW);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> proxy.journal().recorded() == responses.size());
        for (Exchange e : proxy.journal().exchanges()) {
            if (e.status() == 503) {
                assertThat(e.flags()).containsExactly(ResponseFlag.UO);
                assertThat(e.attempts()).as("an overflow reaches no endpoint").isEmpty();
            }
        }
    }

    @Test
    void oneConnectionAndOnePendingRequestLetTwoOfTwentyThroughAndOverflowTheRest() {
        try (TestBackend httpbin = TestBackend.scripted("httpbin", n -> Reply.ok("{}").delayed(300))) {
            IstioConfig config = yaml(serviceEntry("httpbin", httpbin)
                    + rule("httpbin", "{tcp: {maxConnections: 1}, http: {http1MaxPendingRequests: 1, maxRequestsPerConnection: 1}}"),
                    httpbin);
            try (MeshProxy proxy = MeshProxy.builder().config(config).start()) {
                List<RawHttp.Response> responses = burst(proxy, "httpbin:9080", 20);
                long ok = responses.stream().filter(r -> r.status() == 200).count();
                assertThat(ok).as("statuses %s", responses.stream().map(RawHttp.Response::status).toList())
                        .isBetween(1L, 6L);
                assertOverflowAnswers(proxy, responses);
                assertThat(proxy.clusterStats()).anySatisfy(s -> {
                    assertThat(s.name()).isEqualTo("outbound|9080||httpbin.default.svc.cluster.local");
                    assertThat(s.breakers().pendingOverflows()).isEqualTo(20 - ok);
                });
            }
        }
    }

    /** Service {@code svc:8080} on one endpoint with the given connectionPool. */
    static IstioConfig svc(int port, String connectionPool, String routeFields) {
        return OneService.config(port, routeFields, rule("svc", connectionPool));
    }

    @Test
    void waitingRequestsGetTheReleasedConnectionInTurn() {
        try (TestBackend b = TestBackend.scripted("b", n -> Reply.ok("fine").delayed(50))) {
            IstioConfig config = svc(b.port(), "{tcp: {maxConnections: 1}, http: {http1MaxPendingRequests: 10}}", "");
            try (MeshProxy proxy = MeshProxy.builder().config(config).ioThreads(2).start()) {
                List<RawHttp.Response> responses = burst(proxy, "svc:8080", 6);
                assertThat(responses).allSatisfy(r -> assertThat(r.status()).isEqualTo(200));
                assertThat(proxy.clusterStats()).allSatisfy(s -> assertThat(s.breakers().connections()).isLessThanOrEqualTo(1));
            }
        }
    }

    @Test
    void maxRequestsPerConnectionOneMeansANewConnectionPerRequest() {
        try (RawUpstream up = RawUpstream.answering(r -> RawUpstream.ok("fine"))) {
            try (MeshProxy proxy = MeshProxy.builder().config(svc(up.port(), "{http: {maxRequestsPerConnection: 1}}", ""))
                    .start(); RawHttp c = new RawHttp(proxy.port())) {
                for (int i = 0; i < 3; i++) assertThat(c.send("GET", "svc:8080", "/", null).status()).isEqualTo(200);
                await().atMost(Duration.ofSeconds(5)).until(() -> up.connections() == 3 && up.openConnections() == 0);
            }
        }
    }

    @Test
    void idleTimeoutClosesIdlePooledConnections() {
        try (RawUpstream up = RawUpstream.answering(r -> RawUpstream.ok("fine"))) {
            try (MeshProxy proxy = MeshProxy.builder().config(svc(up.port(), "{http: {idleTimeout: 200ms}}", "")).start();
                 RawHttp c = new RawHttp(proxy.port())) {
                assertThat(c.send("GET", "svc:8080", "/", null).status()).isEqualTo(200);
                await().atMost(Duration.ofSeconds(5)).until(() -> up.connections() == 1 && up.openConnections() == 0);
            }
        }
    }

    @Test
    void tcpKeepaliveIsAccepted() {
        try (RawUpstream up = RawUpstream.answering(r -> RawUpstream.ok("fine"))) {
            String pool = "{tcp: {tcpKeepalive: {time: 30s, interval: 5s, probes: 3}}}";
            try (MeshProxy proxy = MeshProxy.builder().config(svc(up.port(), pool, "")).start()) {
                assertThat(RawHttp.get(proxy.port(), "svc:8080", "/").status()).isEqualTo(200);
            }
        }
    }

    @Test
    void http2MaxRequestsLimitsConcurrentRequestsOfTheCluster() {
        try (TestBackend b = TestBackend.scripted("b", n -> Reply.ok("fine").delayed(300))) {
            try (MeshProxy proxy = MeshProxy.builder().config(svc(b.port(), "{http: {http2MaxRequests: 2}}", "")).start()) {
                List<RawHttp.Response> responses = burst(proxy, "svc:8080", 8);
                assertThat(responses.stream().filter(r -> r.status() == 200).count()).isBetween(2L, 4L);
                assertOverflowAnswers(proxy, responses);
                assertThat(proxy.clusterStats().get(0).breakers().requestOverflows()).isGreaterThan(0);
            }
        }
    }

    @Test
    void retriesOverMaxRetriesAreNotMade() {
        try (TestBackend b = TestBackend.scripted("b", n -> Reply.status(503).delayed(100))) {
            IstioConfig config = svc(b.port(), "{http: {maxRetries: 1}}",
                    "retries: {attempts: 2, retryOn: 5xx}");
            try (MeshProxy proxy = MeshProxy.builder().config(config).start()) {
                List<RawHttp.Response> responses = burst(proxy, "svc:8080", 10);
                assertThat(responses).allSatisfy(r -> assertThat(r.status()).isEqualTo(503));
                await().atMost(Duration.ofSeconds(5)).until(() -> proxy.journal().recorded() == 10);
                List<Exchange> refused = proxy.journal().select(e -> e.flags().contains(ResponseFlag.UO));
                assertThat(refused).as("retries refused by maxRetries").isNotEmpty()
                        .allSatisfy(e -> assertThat(e.attempts().size()).isLessThan(3));
                assertThat(proxy.clusterStats().get(0).breakers().retryOverflows()).isEqualTo(refused.size());
            }
        }
    }

    @Test
    void istioCircuitBreakingTaskGivesSome503UOUnderConcurrency() throws Exception {
        Path sample = Path.of(System.getProperty("meshunit.samples", "/work/shared/istio-samples"))
                .resolve("istio.io-tasks/circuit-breaking-httpbin-destinationrule.yaml");
        assumeTrue(Files.isRegularFile(sample), "Istio samples not found at " + sample);
        try (TestBackend httpbin = TestBackend.scripted("httpbin", n -> Reply.ok("{\"url\": \"/get\"}").delayed(100))) {
            String se = """
                    apiVersion: networking.istio.io/v1
                    kind: ServiceEntry
                    metadata: {name: httpbin}
                    spec:
                      hosts: [httpbin]
                      location: MESH_INTERNAL
                      resolution: STATIC
                      ports: [{number: 8000, name: http, protocol: HTTP, targetPort: 8080}]
                      endpoints:
                      - {address: 127.0.0.1, ports: {http: ${httpbin}}}
                    ---
                    """;
            IstioConfig config = yaml(se + Files.readString(sample), httpbin);
            try (MeshProxy proxy = MeshProxy.builder().config(config).start()) {
                RawHttp.Response single = RawHttp.get(proxy.port(), "httpbin:8000", "/get");
                assertThat(single.status()).isEqualTo(200);
                assertThat(single.header("server")).isEqualTo("envoy");
                assertThat(single.header("x-envoy-upstream-service-time")).isNotNull();
                proxy.journal().reset();
                List<RawHttp.Response> responses = burst(proxy, "httpbin:8000", 3);
                assertThat(responses).anySatisfy(r -> assertThat(r.status()).isEqualTo(200));
                assertThat(responses).anySatisfy(r -> assertThat(r.status()).isEqualTo(503));
                assertOverflowAnswers(proxy, responses);
            }
        }
    }
}
