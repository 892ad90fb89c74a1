package dev.meshunit.route;

import static dev.meshunit.testing.Configs.serviceEntry;
import static dev.meshunit.testing.Configs.subsets;
import static dev.meshunit.testing.Configs.yaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshunit.MeshProxy;
import dev.meshunit.config.IstioConfig;
import dev.meshunit.journal.Exchange;
import dev.meshunit.route.RouteDecision.Outcome;
import dev.meshunit.testing.TestBackend;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The dry run decides as the proxy does: the same rule, split, rewrite, fault, timeout, retries and mirrors. */
class DryRunTest {
    static TestBackend v1;
    static TestBackend v2;
    static IstioConfig config;

    static final String ROUTES = """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: reviews}
            spec:
              hosts: [reviews]
              http:
              - name: jason
                match: [{headers: {end-user: {exact: jason}}}]
                route: [{destination: {host: reviews, subset: v2}}]
                timeout: 2s
                retries: {attempts: 3, perTryTimeout: 500ms, retryOn: "5xx,connect-failure"}
              - match: [{uri: {prefix: /old}}]
                rewrite: {uri: /new, authority: internal}
                route: [{destination: {host: reviews, subset: v1}}]
                fault: {delay: {fixedDelay: 7s, percentage: {value: 10}}, abort: {httpStatus: 503, percentage: {value: 0.5}}}
                mirror: {host: reviews, subset: v2}
                mirrorPercentage: {value: 25}
              - match: [{uri: {exact: /moved}}]
                redirect: {uri: /here, authority: elsewhere, redirectCode: 308}
              - match: [{uri: {exact: /teapot}}]
                directResponse: {status: 418, body: {string: short}}
              - route:
                - {destination: {host: reviews, subset: v1}, weight: 80}
                - {destination: {host: reviews, subset: v2}, weight: 20}
            """;

    @BeforeAll
    static void start() {
        v1 = TestBackend.named("v1");
        v2 = TestBackend.named("v2");
        config = yaml(serviceEntry("reviews", v1, v2) + subsets("reviews", "v1", "v2") + ROUTES, v1, v2);
    }

    @AfterAll
    static void stop() {
        v1.close();
        v2.close();
    }

    @Test
    void headerMatchWithTimeoutAndRetries() {
        RouteDecision d = DryRun.of(config).decide("GET http://reviews:9080/reviews/1 -H end-user:jason");

        assertThat(d.outcome()).isEqualTo(Outcome.FORWARD);
        assertThat(d.route()).isEqualTo("reviews/jason");
        assertThat(d.destinations()).singleElement().satisfies(t -> {
            assertThat(t.host()).isEqualTo("reviews.default.svc.cluster.local");
            assertThat(t.subset()).isEqualTo("v2");
            assertThat(t.port()).isEqualTo(9080);
            assertThat(t.share()).isEqualTo(1.0);
            assertThat(t.endpoints()).isEqualTo(1);
        });
        assertThat(d.timeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(d.retries()).isEqualTo(new RouteDecision.RetrySpec(3, Duration.ofMillis(500), "5xx,connect-failure"));
        assertThat(d.fault().isNone()).isTrue();
        assertThat(d.mirrors()).isEmpty();
    }

    @Test
    void rewriteFaultAndMirror() {
        RouteDecision d = DryRun.of(config).decide("GET http://reviews:9080/old/x?a=1");

        assertThat(d.route()).isEqualTo("reviews/http[1]");
        assertThat(d.path()).isEqualTo("/new/x");
        assertThat(d.authority()).isEqualTo("internal");
        assertThat(d.fault()).isEqualTo(new RouteDecision.FaultSpec(Duration.ofSeconds(7), 10, 503, null, 0.5));
        assertThat(d.fault()).hasToString("delay 7s at 10%, abort 503 at 0.50%");
        assertThat(d.mirrors()).containsExactly(new RouteDecision.Mirror("reviews.default.svc.cluster.local", "v2", 9080, 25));
        // Istio 1.24's default policy applies to a rule without retries
        assertThat(d.retries().attempts()).isEqualTo(2);
        assertThat(d.describe()).contains("path         /new/x", "mirrors      reviews.default.svc.cluster.local:9080 v2 at 25%");
    }

    @Test
    void splitIsADistributionNotADraw() {
        RouteDecision d = DryRun.of(config).decide(RouteRequest.get("http://reviews:9080/reviews/1"));

        assertThat(d.destinations()).extracting(RouteDecision.Target::subset, RouteDecision.Target::share)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("v1", 0.8), org.assertj.core.groups.Tuple.tuple("v2", 0.2));
        assertThat(d.split()).isEqualTo("v1 80% / v2 20%");
    }

    @Test
    void localAnswersAndNoRoute() {
        DryRun dry = DryRun.of(config);
        RouteDecision redirect = dry.decide("GET http://reviews:9080/moved?q=1");
        assertThat(redirect.outcome()).isEqualTo(Outcome.REDIRECT);
        assertThat(redirect.localStatus()).isEqualTo(308);
        assertThat(redirect.location()).isEqualTo("http://elsewhere/here?q=1");

        RouteDecision teapot = dry.decide("POST http://reviews:9080/teapot");
        assertThat(teapot.outcome()).isEqualTo(Outcome.DIRECT_RESPONSE);
        assertThat(teapot.localStatus()).isEqualTo(418);

        RouteDecision unknown = dry.decide("GET http://ratings:9080/");
        assertThat(unknown.outcome()).isEqualTo(Outcome.NO_ROUTE);
        assertThat(unknown.describe()).contains("none: 404 NR");
    }

    @Test
    void missingSubsetIsNamed() {
        // Istio rejects this (IST0101); the dry run of a config loaded anyway still says what the proxy would answer
        IstioConfig noSubsets = dev.meshunit.config.load.ConfigLoader.create()
                .withPlaceholders(java.util.Map.of("v1", "1", "v2", "2")::get)
                .loadString("t.yaml", serviceEntry("reviews", v1, v2) + ROUTES).config();
        RouteDecision d = DryRun.of(noSubsets).decide("GET http://reviews:9080/ -H end-user:jason");
        assertThat(d.destinations().get(0).endpoints()).isEqualTo(-1);
        assertThat(d.describe()).contains("(no such cluster: 503 NC)");
    }

    @Test
    void parsesCurlLikeRequests() {
        RouteRequest r = RouteRequest.parse("post https://reviews/x?y=1 -H 'End-User: jason' -H x-a:b");
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.port()).isEqualTo(443);
        assertThat(r.query()).isEqualTo("y=1");
        assertThat(r.header("end-user")).isEqualTo("jason");
        assertThat(RouteRequest.parse(r.toString())).isEqualTo(r);
        assertThatThrownBy(() -> RouteRequest.parse("GET reviews:9080/x"))
                .hasMessageContaining("expected a URL such as http://reviews:9080/path");
        assertThatThrownBy(() -> RouteRequest.parse("GET http://reviews/ -H novalue"))
                .hasMessageContaining("header 'novalue' must look like name:value");
        assertThatThrownBy(() -> RouteRequests.parse("GET http://a/\n\n# c\nGET http://b/ --data x", "reqs.txt"))
                .hasMessageStartingWith("reqs.txt:4: ");
    }

    /** The proxy, given the same requests, serves them from the rule and subset the dry run names. */
    @Test
    void agreesWithTheProxy() throws Exception {
        IstioConfig deterministic = yaml(serviceEntry("reviews", v1, v2) + subsets("reviews", "v1", "v2")
                + ROUTES.replace("weight: 80", "weight: 100").replace("weight: 20", "weight: 0"), v1, v2);
        List<RouteRequest> requests = List.of(RouteRequest.get("http://reviews:9080/a", "end-user", "jason"),
                RouteRequest.get("http://reviews:9080/b"), RouteRequest.get("http://reviews:9080/teapot"));
        try (MeshProxy proxy = MeshProxy.builder().config(deterministic).start()) {
            HttpClient client = HttpClient.newBuilder().proxy(ProxySelector.of(proxy.address())).build();
            for (RouteRequest r : requests) {
                var b = HttpRequest.newBuilder(URI.create("http://" + r.authority() + r.path()));
                r.headers().forEach((k, vs) -> vs.forEach(v -> b.header(k, v)));
                client.send(b.build(), BodyHandlers.discarding());
            }
            List<Exchange> seen = proxy.journal().exchanges();
            List<RouteDecision> decided = DryRun.of(deterministic).decideAll(RouteRequests.fromExchanges(seen));
            for (int i = 0; i < requests.size(); i++) {
                Exchange e = seen.get(i);
                RouteDecision d = decided.get(i);
                assertThat(d.route()).isEqualTo(e.route().virtualService() + "/" + e.route().name());
                if (d.outcome() == Outcome.FORWARD) assertThat(d.destinations().get(0).subset()).isEqualTo(e.subset());
                else assertThat(d.localStatus()).isEqualTo(e.status());
            }
        }
    }
}
