package dev.meshunit.dataplane;

import static dev.meshunit.testing.Configs.serviceEntry;
import static dev.meshunit.testing.Configs.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshunit.MeshProxy;
import dev.meshunit.config.IstioConfig;
import dev.meshunit.journal.Attempt;
import dev.meshunit.journal.Exchange;
import dev.meshunit.journal.ResponseFlag;
import dev.meshunit.router.RetryDefaults;
import dev.meshunit.testing.RawHttp;
import dev.meshunit.testing.TestBackend;
import dev.meshunit.testing.TestBackend.Reply;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The router: retries with Envoy's conditions, per-try and route timeouts, Istio's default policy. */
// Timing bounds (delays, timeouts) are asserted here: no other class may load the two cores meanwhile.
@org.junit.jupiter.api.parallel.Isolated
class RetryTimeoutTest {

    private static String vs(String http) {
        return """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: ratings}
                spec:
                  hosts: [ratings]
                  http:
                """ + http.indent(2);
    }

    private static Exchange only(MeshProxy proxy) {
        List<Exchange> all = proxy.journal().exchanges();
        assertThat(all).hasSize(1);
        return all.get(0);
    }

    @Test
    void threeAttemptsOnABackendThatFailsTwiceReturn200() {
        try (TestBackend b = TestBackend.scripted("r", n -> n <= 2 ? Reply.status(503) : Reply.ok("fine"))) {
            IstioConfig c = yaml(serviceEntry("ratings", b) + vs("""
                    - route: [{destination: {host: ratings}}]
                      retries: {attempts: 2, retryOn: 5xx}
                    """), b);
            try (MeshProxy proxy = MeshProxy.builder().config(c).start()) {
                RawHttp.Response r = RawHttp.get(proxy.port(), "ratings:9080", "/");
                assertThat(r.status()).isEqualTo(200);
                assertThat(b.received()).extracting(x -> x.header("x-envoy-attempt-count")).containsExactly("1", "2", "3");
                Exchange e = only(proxy);
                assertThat(e.attempts()).extracting(Attempt::status).containsExactly(503, 503, 200);
                assertThat(e.retries()).isEqualTo(2);
                assertThat(e.flags()).isEmpty();
            }
        }
    }

    @Test
    void exhaustedRetriesReturnTheLastAnswerFlaggedURX() {
        try (TestBackend b = TestBackend.scripted("r", n -> Reply.status(502))) {
            IstioConfig c = yaml(serviceEntry("ratings", b) + vs("""
                    - route: [{destination: {host: ratings}}]
                      retries: {attempts: 1, retryOn: gateway-error}
                    """), b);
            try (MeshProxy proxy = MeshProxy.builder().config(c).start()) {
                assertThat(RawHttp.get(proxy.port(), "ratings:9080", "/").status()).isEqualTo(502);
                assertThat(b.count()).isEqualTo(2);
                assertThat(only(proxy).flags()).containsExactly(ResponseFlag.URX);
            }
        }
    }

    @Test
    void statusConditionsFollowEnvoy() {
        try (TestBackend b = TestBackend.scripted("r", n -> n % 2 == 1 ? Reply.status(409) : Reply.ok("ok"))) {
            IstioConfig c = yaml(serviceEntry("ratings", b) + vs("""
                    - match: [{uri: {prefix: /conflict}}]
                      route: [{destination: {host: ratings}}]
                      retries: {attempts: 1, retryOn: retriable-4xx}
                    - match: [{uri: {prefix: /codes}}]
                      route: [{destination: {host: ratings}}]
                      retries: {attempts: 1, retryOn: "409"}
                    - route: [{destination: {host: ratings}}]
                      retries: {attempts: 1, retryOn: 5xx}
                    """), b);
            try (MeshProxy proxy = MeshProxy.builder().config(c).start()) {
                assertThat(RawHttp.get(proxy.port(), "ratings:9080", "/conflict").status()).isEqualTo(200);
                assertThat(RawHttp.get(proxy.port(), "ratings:9080", "/codes").status()).isEqualTo(200);
                assertThat(RawHttp.get(proxy.port(), "ratings:9080", "/plain").status()).as("409 is not 5xx").isEqualTo(409);
                assertThat(b.count()).isEqualTo(5);
            }
        }
    }

    @Test
    void routeTimeoutAnswers504UTWellBeforeASlowBackend() {
        try (TestBackend b = TestBackend.scripted("r", n -> Reply.ok("late").delayed(2000))) {
            IstioConfig c = yaml(serviceEntry("ratings", b) + vs("""
                    - route: [{destination: {host: ratings}}]
                      timeout: 300ms
                    """), b);
            try (MeshProxy proxy = MeshProxy.builder().config(c).start()) {
                RawHttp.Response r = RawHttp.get(proxy.port(), "ratings:9080", "/");
                assertThat(r.status()).isEqualTo(504);
                assertThat(r.body()).isEqualTo("upstream request timeout");
                assertThat(r.elapsedMs()).isGreaterThanOrEqualTo(300).isLessThan(400);
                Exchange e = only(proxy);
                assertThat(e.flags()).containsExactly(ResponseFlag.UT);
                assertThat(e.attempts()).singleElement().satisfies(a -> assertThat(a.error()).isEqualTo("route timeout"));
            }
        }
    }

    @Test
    void perTryTimeoutIsRetriedWhenRetryOnAllowsIt() {
        try (TestBackend b = TestBackend.scripted("r", n -> n == 1 ? Reply.ok("slow").delayed(1000) : Reply.ok("quick"))) {
            IstioConfig c = yaml(serviceEntry("ratings", b) + vs("""
                    - route: [{destination: {host: ratings}}]
                      timeout: 900ms
                      retries: {attempts: 2, perTryTimeout: 150ms, retryOn: "5xx"}
                    """), b);
            try (MeshProxy proxy = MeshProxy.builder().config(c).start()) {
                RawHttp.Response r = RawHttp.get(proxy.port(), "ratings:9080", "/");
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.body()).isEqualTo("quick");
                assertThat(only(proxy).attempts()).extracting(Attempt::status).containsExactly(0, 200);
                assertThat(only(proxy).attempts().get(0).flags()).containsExactly(ResponseFlag.UT);
            }
        }
    }

    @Test
    void perTryTimeoutWithoutARetriableConditionAnswers504() {
        try (TestBackend b = TestBackend.scripted("r", n -> Reply.ok("slow").delayed(1000))) {
            IstioConfig c = yaml(serviceEntry("ratings", b) + vs("""
                    - route: [{destination: {host: ratings}}]
                      retries: {attempts: 2, perTryTimeout: 100ms, retryOn: connect-failure}
                    """), b);
            try (MeshProxy proxy = MeshProxy.builder().config(c).start()) {
                RawHttp.Response r = RawHttp.get(proxy.port(), "ratings:9080", "/");
                assertThat(r.status()).isEqualTo(504);
                assertThat(r.elapsedMs()).isLessThan(400);
                assertThat(only(proxy).attempts()).hasSize(1);
                assertThat(only(proxy).flags()).contains(ResponseFlag.UT);
            }
        }
    }

    @Test
    void istio124DefaultPolicyRetriesConnectFailuresButNot503() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        try (TestBackend b = TestBackend.scripted("r", n -> Reply.status(503))) {
            String se = serviceEntry("ratings", b) + """
                    apiVersion: networking.istio.io/v1
                    kind: ServiceEntry
                    metadata: {name: gone}
                    spec:
                      hosts: [gone]
                      resolution: STATIC
                      ports: [{number: 80, name: http, protocol: HTTP}]
                      endpoints: [{address: 127.0.0.1, ports: {http: %d}}]
                    """.formatted(closedPort);
            IstioConfig c = yaml(se, b);
            try (MeshProxy proxy = MeshProxy.builder().config(c).start()) {
                assertThat(RawHttp.get(proxy.port(), "ratings:9080", "/").status()).isEqualTo(503);
                assertThat(b.count()).as("no retry of a 503 since Istio 1.24").isEqualTo(1);
                RawHttp.Response r = RawHttp.get(proxy.port(), "gone", "/");
                assertThat(r.status()).isEqualTo(503);
                assertThat(r.body()).startsWith("upstream connect error or disconnect/reset before headers. reset reason: connection failure");
                Exchange e = proxy.journal().exchanges().get(1);
                assertThat(e.attempts()).hasSize(3).allSatisfy(a -> assertThat(a.flags()).containsExactly(ResponseFlag.UF));
                assertThat(e.flags()).containsExactlyInAnyOrder(ResponseFlag.UF, ResponseFlag.URX);
            }
            try (MeshProxy proxy = MeshProxy.builder().config(c).retryDefaults(RetryDefaults.ISTIO_1_23).start()) {
                int before = b.count();
                assertThat(RawHttp.get(proxy.port(), "ratings:9080", "/").status()).isEqualTo(503);
                assertThat(b.count() - before).as("Istio 1.23 retried a 503 twice").isEqualTo(3);
            }
            try (MeshProxy proxy = MeshProxy.builder().config(c).retryDefaults(RetryDefaults.NONE).start()) {
                RawHttp.get(proxy.port(), "gone", "/");
                assertThat(only(proxy).attempts()).hasSize(1);
            }
        }
    }

    @Test
    void clientHeadersOverrideTimeoutAndRetries() {
        try (TestBackend b = TestBackend.scripted("r", n -> Reply.ok("late").delayed(1000))) {
            IstioConfig c = yaml(serviceEntry("ratings", b), b);
            try (MeshProxy proxy = MeshProxy.builder().config(c).start()) {
                RawHttp.Response r = RawHttp.get(proxy.port(), "ratings:9080", "/", "x-envoy-upstream-rq-timeout-ms: 100");
                assertThat(r.status()).isEqualTo(504);
                // The backend logs the request on its own thread, possibly after the proxy has given up.
                org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> b.count() == 1);
                assertThat(b.received().get(0).header("x-envoy-upstream-rq-timeout-ms")).isNull();
            }
        }
    }
}
