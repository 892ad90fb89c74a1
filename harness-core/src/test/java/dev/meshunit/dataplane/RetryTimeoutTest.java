package dev.meshunit.dataplane;

import static dev.meshunit.testing.Configs.serviceEntry;
import static dev.meshunit.testing.Configs.yaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshunit.MeshProxy;
import dev.meshunit.VirtualTime;
import dev.meshunit.config.IstioConfig;
import dev.meshunit.journal.Attempt;
import dev.meshunit.journal.Exchange;
import dev.meshunit.journal.ResponseFlag;
import dev.meshunit.router.RetryDefaults;
import dev.meshunit.testing.Async;
import dev.meshunit.testing.RawHttp;
import dev.meshunit.testing.RefusingPort;
import dev.meshunit.testing.TestBackend;
import dev.meshunit.testing.TestBackend.Reply;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The router: retries with Envoy's conditions, per-try and route timeouts, Istio's default policy. */
// The proxy's timers run on virtual time here: exact values, whatever else loads the machine.
class RetryTimeoutTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** A backend delay no test waits for: the proxy gives up first, and closing the backend ends it. */
    private static final long NEVER = 30_000;

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

    /** A request sent on its own thread, so that the test can move the proxy's time while it is under way. */
    private static CompletableFuture<RawHttp.Response> sendAsync(MeshProxy proxy, String... headerLines) {
        return CompletableFuture.supplyAsync(() -> RawHttp.get(proxy.port(), "ratings:9080", "/", headerLines),
                Async.THREAD_PER_TASK);
    }

    /** Advances to the next timer once the backend has {@code requests} and exactly {@code timers} are set. */
    private static Duration advanceOnce(VirtualTime time, TestBackend b, int requests, int timers) {
        await().atMost(WAIT).until(() -> b.count() >= requests && time.pendingTimers() == timers);
        Duration next = time.nextTimerIn();
        time.advance(next);
        return next;
    }

    @Test
    void routeTimeoutAnswers504UTExactlyAtItsDeadline() throws Exception {
        VirtualTime time = VirtualTime.create();
        try (TestBackend b = TestBackend.scripted("r", n -> Reply.ok("late").delayed(NEVER))) {
            IstioConfig c = yaml(serviceEntry("ratings", b) + vs("""
                    - route: [{destination: {host: ratings}}]
                      timeout: 300ms
                    """), b);
            try (MeshProxy proxy = MeshProxy.builder().virtualTime(time).config(c).start()) {
                CompletableFuture<RawHttp.Response> answer = sendAsync(proxy);
                assertThat(advanceOnce(time, b, 1, 1)).isEqualTo(Duration.ofMillis(300));
                RawHttp.Response r = answer.get(10, TimeUnit.SECONDS);
                assertThat(r.status()).isEqualTo(504);
                assertThat(r.body()).isEqualTo("upstream request timeout");
                Exchange e = only(proxy);
                assertThat(e.flags()).containsExactly(ResponseFlag.UT);
                assertThat(e.durationMs()).isEqualTo(300.0);
                assertThat(e.attempts()).singleElement().satisfies(a -> {
                    assertThat(a.error()).isEqualTo("route timeout");
                    assertThat(a.durationMs()).isEqualTo(300.0);
                });
            }
        }
    }

    @Test
    void perTryTimeoutIsRetriedWhenRetryOnAllowsIt() throws Exception {
        VirtualTime time = VirtualTime.create();
        try (TestBackend b = TestBackend.scripted("r", n -> n == 1 ? Reply.ok("slow").delayed(NEVER) : Reply.ok("quick"))) {
            IstioConfig c = yaml(serviceEntry("ratings", b) + vs("""
                    - route: [{destination: {host: ratings}}]
                      timeout: 900ms
                      retries: {attempts: 2, perTryTimeout: 150ms, retryOn: "5xx"}
                    """), b);
            try (MeshProxy proxy = MeshProxy.builder().virtualTime(time).seed(3).config(c).start()) {
                CompletableFuture<RawHttp.Response> answer = sendAsync(proxy);
                // The per-try timeout fires first (150 ms of the route's 900), then the back-off, then attempt 2.
                assertThat(advanceOnce(time, b, 1, 2)).isEqualTo(Duration.ofMillis(150));
                Duration backoff = advanceOnce(time, b, 1, 2);
                assertThat(backoff.toMillis()).isBetween(0L, 24L);
                RawHttp.Response r = answer.get(10, TimeUnit.SECONDS);
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.body()).isEqualTo("quick");
                Exchange e = only(proxy);
                assertThat(e.attempts()).extracting(Attempt::status).containsExactly(0, 200);
                assertThat(e.attempts().get(0).flags()).containsExactly(ResponseFlag.UT);
                assertThat(e.attempts().get(0).durationMs()).isEqualTo(150.0);
                assertThat(e.durationMs()).isEqualTo(150.0 + backoff.toMillis());
            }
        }
    }

    @Test
    void perTryTimeoutWithoutARetriableConditionAnswers504() throws Exception {
        VirtualTime time = VirtualTime.create();
        try (TestBackend b = TestBackend.scripted("r", n -> Reply.ok("slow").delayed(NEVER))) {
            IstioConfig c = yaml(serviceEntry("ratings", b) + vs("""
                    - route: [{destination: {host: ratings}}]
                      retries: {attempts: 2, perTryTimeout: 100ms, retryOn: connect-failure}
                    """), b);
            try (MeshProxy proxy = MeshProxy.builder().virtualTime(time).config(c).start()) {
                CompletableFuture<RawHttp.Response> answer = sendAsync(proxy);
                assertThat(advanceOnce(time, b, 1, 1)).isEqualTo(Duration.ofMillis(100));
                assertThat(answer.get(10, TimeUnit.SECONDS).status()).isEqualTo(504);
                assertThat(only(proxy).attempts()).hasSize(1);
                assertThat(only(proxy).flags()).contains(ResponseFlag.UT);
                assertThat(only(proxy).durationMs()).isEqualTo(100.0);
            }
        }
    }

    @Test
    void istio124DefaultPolicyRetriesConnectFailuresButNot503() throws Exception {
        try (RefusingPort refusing = new RefusingPort();
             TestBackend b = TestBackend.scripted("r", n -> Reply.status(503))) {
            int closedPort = refusing.port();
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
    void clientHeadersOverrideTimeoutAndRetries() throws Exception {
        VirtualTime time = VirtualTime.create();
        try (TestBackend b = TestBackend.scripted("r", n -> Reply.ok("late").delayed(NEVER))) {
            IstioConfig c = yaml(serviceEntry("ratings", b), b);
            try (MeshProxy proxy = MeshProxy.builder().virtualTime(time).config(c).start()) {
                CompletableFuture<RawHttp.Response> answer = sendAsync(proxy, "x-envoy-upstream-rq-timeout-ms: 100");
                assertThat(advanceOnce(time, b, 1, 1)).isEqualTo(Duration.ofMillis(100));
                assertThat(answer.get(10, TimeUnit.SECONDS).status()).isEqualTo(504);
                assertThat(b.received().get(0).header("x-envoy-upstream-rq-timeout-ms")).isNull();
            }
        }
    }
}
