package dev.meshunit.dataplane;

import static dev.meshunit.testing.Configs.serviceEntry;
import static dev.meshunit.testing.Configs.subsets;
import static dev.meshunit.testing.Configs.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshunit.MeshProxy;
import dev.meshunit.journal.Exchange;
import dev.meshunit.journal.ResponseFlag;
import dev.meshunit.testing.RawHttp;
import dev.meshunit.testing.TestBackend;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Host-based routing, forward-proxy mode, per-service listeners and the no-route cases. */
class RoutingTest {
    static TestBackend v1;
    static TestBackend v2;
    static TestBackend details;
    static MeshProxy proxy;

    @BeforeAll
    static void start() {
        v1 = TestBackend.named("v1");
        v2 = TestBackend.named("v2");
        details = TestBackend.named("details");
        String config = serviceEntry("reviews", v1, v2) + subsets("reviews", "v1", "v2") + serviceEntry("details", details) + """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: reviews}
                spec:
                  hosts: [reviews]
                  http:
                  - name: jason
                    match: [{headers: {end-user: {exact: jason}}}]
                    route: [{destination: {host: reviews, subset: v2}}]
                  - name: only-get
                    match: [{method: {exact: GET}}]
                    route: [{destination: {host: reviews, subset: v1}}]
                """;
        proxy = MeshProxy.builder().config(yaml(config, v1, v2, details)).listenerPerService(true).seed(7).start();
    }

    @AfterAll
    static void stop() {
        proxy.close();
        v1.close();
        v2.close();
        details.close();
    }

    @Test
    void routesByHostHeaderAndFirstMatchingRule() {
        assertThat(RawHttp.get(proxy.port(), "reviews:9080", "/r", "end-user: jason").body()).isEqualTo("v2");
        assertThat(RawHttp.get(proxy.port(), "reviews:9080", "/r", "end-user: Jason").body()).isEqualTo("v1");
        Exchange last = last();
        assertThat(last.route().name()).isEqualTo("only-get");
        assertThat(last.route().virtualService()).isEqualTo("reviews");
        assertThat(last.destination().subset()).isEqualTo("v1");
        assertThat(last.destination().port()).isEqualTo(9080);
        assertThat(last.attempts()).singleElement().satisfies(a -> assertThat(a.endpoint()).isEqualTo("127.0.0.1:" + v1.port()));
    }

    @Test
    void shortAndLongNamesAreOneService() {
        for (String host : List.of("reviews:9080", "reviews.default:9080", "reviews.default.svc.cluster.local:9080", "reviews")) {
            RawHttp.Response r = RawHttp.get(proxy.port(), host, "/x", "end-user: jason");
            assertThat(r.body()).as(host).isEqualTo("v2");
            assertThat(last().destination().host()).isEqualTo("reviews.default.svc.cluster.local");
        }
    }

    @Test
    void hostWithVirtualServiceButNoMatchingRuleIs404NR() {
        try (RawHttp c = new RawHttp(proxy.port())) {
            RawHttp.Response r = c.send("POST", "reviews:9080", "/r", "x");
            assertThat(r.status()).isEqualTo(404);
            assertThat(r.body()).isEmpty();
        }
        assertThat(last().flags()).containsExactly(ResponseFlag.NR);
        assertThat(last().attempts()).isEmpty();
    }

    @Test
    void unknownHostIs404NR() {
        int before = v1.count() + v2.count() + details.count();
        RawHttp.Response r = RawHttp.get(proxy.port(), "nowhere.example:80", "/");
        assertThat(r.status()).isEqualTo(404);
        assertThat(last().flags()).containsExactly(ResponseFlag.NR);
        assertThat(last().route()).isNull();
        assertThat(v1.count() + v2.count() + details.count()).isEqualTo(before);
    }

    @Test
    void knownHostWithoutVirtualServiceGoesStraightToItsService() {
        RawHttp.Response r = RawHttp.get(proxy.port(), "details:9080", "/details/0");
        assertThat(r.body()).isEqualTo("details");
        assertThat(last().route().name()).startsWith("default:");
        assertThat(last().destination().subset()).isNull();
    }

    @Test
    void forwardProxyModeRoutesAbsoluteUris() throws Exception {
        HttpClient client = HttpClient.newBuilder().proxy(ProxySelector.of(proxy.address())).build();
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://reviews:9080/abs?q=1"))
                .header("end-user", "jason").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("v2");
        assertThat(r.headers().firstValue("server")).hasValue("envoy");
        assertThat(v2.received()).anySatisfy(req -> {
            assertThat(req.path()).isEqualTo("/abs?q=1");
            assertThat(req.header("host")).isEqualTo("reviews:9080");
        });
        assertThat(last().path()).isEqualTo("/abs?q=1");
        assertThat(last().authority()).isEqualTo("reviews:9080");
    }

    @Test
    void perServiceListenerNeedsNoHostHeader() throws Exception {
        InetSocketAddress a = proxy.serviceAddress("reviews");
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + a.getPort() + "/p"))
                .header("end-user", "jason").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.body()).isEqualTo("v2");
        assertThat(last().authority()).isEqualTo("reviews:9080");
    }

    @Test
    void aServiceAddedByANewConfigGetsItsOwnListener() {
        try (TestBackend ratings = TestBackend.named("ratings");
             MeshProxy p = MeshProxy.builder().config(proxy.config()).listenerPerService(true).start()) {
            int reviewsPort = p.serviceAddress("reviews").getPort();
            p.updateConfig(yaml(serviceEntry("reviews", v1, v2) + subsets("reviews", "v1", "v2")
                    + serviceEntry("ratings", ratings), v1, v2, ratings));
            assertThat(p.serviceAddress("reviews").getPort()).as("existing listeners keep their port").isEqualTo(reviewsPort);
            RawHttp.Response r = RawHttp.get(p.serviceAddress("ratings").getPort(), "anything", "/");
            assertThat(r.body()).isEqualTo("ratings");
        }
    }

    @Test
    void upstreamSeesEnvoyHeaders() {
        RawHttp.get(proxy.port(), "details:9080", "/h");
        TestBackend.Received got = details.received().get(details.received().size() - 1);
        assertThat(got.header("x-envoy-attempt-count")).isEqualTo("1");
        assertThat(got.header("x-request-id")).isNotBlank();
        assertThat(got.header("x-forwarded-proto")).isEqualTo("http");
    }

    private static Exchange last() {
        List<Exchange> all = proxy.journal().exchanges();
        return all.get(all.size() - 1);
    }
}
