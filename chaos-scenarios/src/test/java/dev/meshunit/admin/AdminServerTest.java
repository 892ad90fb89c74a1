package dev.meshunit.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshunit.MeshProxy;
import dev.meshunit.config.load.ConfigLoader;
import dev.meshunit.testing.RawHttp;
import dev.meshunit.testing.TestBackend;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/** Isolated: it counts the JVM's admin threads, and other classes' admin servers would be counted too. */
@Isolated
class AdminServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private TestBackend v1;
    private TestBackend v2;
    private MeshProxy proxy;
    private AdminServer admin;

    @BeforeEach
    void start() {
        v1 = TestBackend.named("v1");
        v2 = TestBackend.named("v2");
        proxy = MeshProxy.builder().config(ConfigLoader.create().loadString("reviews.yaml", reviews("v1")).orThrow())
                .seed(7).journalCapacity(50).start();
        admin = AdminServer.builder(proxy).start();
    }

    @AfterEach
    void stop() {
        admin.close();
        proxy.close();
        v1.close();
        v2.close();
    }

    /** Two endpoints told apart by a version label, and every request routed to {@code subset}. */
    private String reviews(String subset) {
        return """
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: reviews}
                spec:
                  hosts: [reviews]
                  location: MESH_INTERNAL
                  resolution: STATIC
                  ports: [{number: 9080, name: http, protocol: HTTP}]
                  endpoints:
                  - {address: 127.0.0.1, ports: {http: %d}, labels: {version: v1}}
                  - {address: 127.0.0.1, ports: {http: %d}, labels: {version: v2}}
                ---
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: reviews}
                spec:
                  host: reviews
                  subsets:
                  - {name: v1, labels: {version: v1}}
                  - {name: v2, labels: {version: v2}}
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: reviews}
                spec:
                  hosts: [reviews]
                  http:
                  - route: [{destination: {host: reviews, subset: %s}}]
                """.formatted(v1.port(), v2.port(), subset);
    }

    private HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    private HttpResponse<String> post(String path, String body) {
        return send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + admin.port() + path);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode json(HttpResponse<String> r) {
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String throughProxy(String path) {
        RawHttp.Response r = RawHttp.get(proxy.port(), "reviews:9080", path);
        assertThat(r.status()).isEqualTo(200);
        return r.body();
    }

    @Test
    void readyAnswersReady() {
        HttpResponse<String> r = get("/ready");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("ready");
        assertThat(admin.address().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
    }

    @Test
    void journalListsExchangesOldestFirstWithTheContractFields() {
        throughProxy("/first");
        throughProxy("/second");
        RawHttp.get(proxy.port(), "nothere", "/lost");

        HttpResponse<String> r = get("/journal");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
        JsonNode all = json(r);
        assertThat(all).hasSize(3);
        assertThat(all.get(0).get("path").asText()).isEqualTo("/first");
        assertThat(all.get(2).get("path").asText()).isEqualTo("/lost");
        JsonNode first = all.get(0);
        for (String field : new String[] {"id", "method", "authority", "path", "route", "destination", "attempts",
                "fault", "status", "flags", "durationMs"}) {
            assertThat(first.has(field)).as(field).isTrue();
        }
        assertThat(first.get("destination").get("host").asText()).isEqualTo("reviews.default.svc.cluster.local");
        assertThat(first.get("destination").get("subset").asText()).isEqualTo("v1");
        assertThat(first.get("destination").get("port").asInt()).isEqualTo(9080);
        JsonNode attempt = first.get("attempts").get(0);
        assertThat(attempt.get("endpoint").asText()).isEqualTo("127.0.0.1:" + v1.port());
        assertThat(attempt.get("status").asInt()).isEqualTo(200);
        assertThat(attempt.has("flags")).isTrue();
        assertThat(attempt.has("durationMs")).isTrue();
        assertThat(first.get("fault").has("delayMs")).isTrue();
        assertThat(first.get("fault").has("abortStatus")).isTrue();
        assertThat(all.get(2).get("route").isNull()).isTrue();
        assertThat(all.get(2).get("flags").get(0).asText()).isEqualTo("NR");
    }

    @Test
    void journalLimitKeepsTheNewestStillOldestFirst() {
        throughProxy("/a");
        throughProxy("/b");
        throughProxy("/c");

        JsonNode two = json(get("/journal?limit=2"));
        assertThat(two).hasSize(2);
        assertThat(two.get(0).get("path").asText()).isEqualTo("/b");
        assertThat(two.get(1).get("path").asText()).isEqualTo("/c");
        assertThat(json(get("/journal?limit=0"))).isEmpty();
        assertThat(json(get("/journal?limit=99"))).hasSize(3);

        HttpResponse<String> bad = get("/journal?limit=lots");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(json(bad).get("error").asText()).contains("limit").contains("lots");
        assertThat(get("/journal?limit=-1").statusCode()).isEqualTo(400);
    }

    @Test
    void resetForgetsExchangesAndCounters() {
        throughProxy("/a");
        HttpResponse<String> r = post("/journal/reset", "");
        assertThat(r.statusCode()).isEqualTo(204);
        assertThat(json(get("/journal"))).isEmpty();
        JsonNode stats = json(get("/stats"));
        assertThat(stats.get("recorded").asLong()).isZero();
        assertThat(stats.get("clusters")).isEmpty();
    }

    @Test
    void statsCountPerClusterAndEndpoint() {
        throughProxy("/a");
        throughProxy("/b");
        RawHttp.get(proxy.port(), "nothere", "/lost");

        HttpResponse<String> r = get("/stats");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode stats = json(r);
        assertThat(stats.get("seed").asLong()).isEqualTo(7);
        assertThat(stats.get("capacity").asInt()).isEqualTo(50);
        assertThat(stats.get("recorded").asLong()).isEqualTo(3);
        assertThat(stats.get("dropped").asLong()).isZero();

        JsonNode clusters = stats.get("clusters");
        assertThat(clusters).hasSize(2);
        JsonNode noRoute = clusters.get(0);
        assertThat(noRoute.get("host").isNull()).isTrue();
        assertThat(noRoute.get("total").asLong()).isEqualTo(1);
        assertThat(noRoute.get("clientErrors").asLong()).isEqualTo(1);
        JsonNode reviews = clusters.get(1);
        assertThat(reviews.get("host").asText()).isEqualTo("reviews.default.svc.cluster.local");
        assertThat(reviews.get("port").asInt()).isEqualTo(9080);
        assertThat(reviews.get("subset").asText()).isEqualTo("v1");
        assertThat(reviews.get("total").asLong()).isEqualTo(2);
        assertThat(reviews.get("success").asLong()).isEqualTo(2);
        assertThat(reviews.get("serverErrors").asLong()).isZero();
        assertThat(reviews.get("noResponse").asLong()).isZero();

        JsonNode endpoints = stats.get("endpoints");
        assertThat(endpoints).hasSize(1);
        assertThat(endpoints.get(0).get("endpoint").asText()).isEqualTo("127.0.0.1:" + v1.port());
        assertThat(endpoints.get(0).get("total").asLong()).isEqualTo(2);

        JsonNode upstream = stats.get("upstream");
        assertThat(upstream.isArray()).isTrue();
        assertThat(upstream.findValuesAsText("name")).contains("outbound|9080|v1|reviews.default.svc.cluster.local");
        assertThat(upstream.get(0).get("breakers").has("pendingOverflows")).isTrue();
        assertThat(upstream.findValues("endpoints").get(0).findValuesAsText("endpoint")).isNotEmpty();

        JsonNode downstream = stats.get("downstream");
        assertThat(downstream.get("downstream_cx_total").asLong()).isGreaterThanOrEqualTo(3);
        assertThat(downstream.get("downstream_cx_protocol_error").asLong()).isZero();
        assertThat(downstream.get("downstream_rq_idle_timeout").asLong()).isZero();
    }

    @Test
    void postedConfigReplacesTheRoutes() {
        assertThat(throughProxy("/")).isEqualTo("v1");

        HttpResponse<String> r = post("/config", reviews("v2"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode body = json(r);
        assertThat(body.get("errors")).isEmpty();
        assertThat(body.get("warnings").isArray()).isTrue();
        assertThat(body.get("resources").asInt()).isEqualTo(3);
        assertThat(throughProxy("/")).isEqualTo("v2");
    }

    @Test
    void rejectedConfigAnswers400WithEveryErrorAndKeepsTheOldConfig() {
        String broken = reviews("v2").replace("- route: [{destination: {host: reviews, subset: v2}}]",
                "- route: [{destination: {host: reviews, subset: v2}}]\n    retries: {attempts: -1}\n    timeout: soon");
        HttpResponse<String> r = post("/config", broken);
        assertThat(r.statusCode()).isEqualTo(400);
        JsonNode body = json(r);
        assertThat(body.get("errors")).hasSizeGreaterThanOrEqualTo(2);
        assertThat(body.get("errors").get(0).asText()).startsWith(AdminServer.BODY_NAME + ":");
        assertThat(body.get("warnings").isArray()).isTrue();
        assertThat(throughProxy("/")).isEqualTo("v1");
    }

    @Test
    void badYamlAndEmptyBodiesAreRefused() {
        HttpResponse<String> syntax = post("/config", "kind: VirtualService\n  spec: [unclosed\n");
        assertThat(syntax.statusCode()).isEqualTo(400);
        assertThat(json(syntax).get("errors").get(0).asText()).startsWith(AdminServer.BODY_NAME + ":");

        HttpResponse<String> empty = post("/config", "  \n");
        assertThat(empty.statusCode()).isEqualTo(400);
        assertThat(json(empty).get("errors").get(0).asText()).contains("empty body");

        HttpResponse<String> binary = post("/config", "\u0000\u0001\u00ff garbage: [");
        assertThat(binary.statusCode()).isEqualTo(400);
        assertThat(throughProxy("/")).isEqualTo("v1");
    }

    @Test
    void getConfigShowsTheResourcesInForce() {
        HttpResponse<String> r = get("/config");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode config = json(r);
        assertThat(config.get("serviceEntries").get(0).get("hosts").get(0).asText()).isEqualTo("reviews");
        assertThat(config.findValuesAsText("name")).contains("reviews");
    }

    @Test
    void unknownPathIs404AndWrongMethodIs405WithAllow() {
        assertThat(get("/nope").statusCode()).isEqualTo(404);
        assertThat(json(get("/nope")).get("error").asText()).contains("/nope");

        try (RawHttp raw = new RawHttp(admin.port())) {
            RawHttp.Response deleteConfig = raw.send("DELETE", "x", "/config", null);
            assertThat(deleteConfig.status()).isEqualTo(405);
            assertThat(deleteConfig.header("allow")).isEqualTo("GET, POST");
        }

        HttpResponse<String> postJournal = post("/journal", "");
        assertThat(postJournal.statusCode()).isEqualTo(405);
        assertThat(postJournal.headers().firstValue("allow")).hasValue("GET");

        HttpResponse<String> getReset = get("/journal/reset");
        assertThat(getReset.statusCode()).isEqualTo(405);
        assertThat(getReset.headers().firstValue("allow")).hasValue("POST");
    }

    @Test
    void malformedRequestsGet400AndTheServerStaysUp() {
        try (RawHttp raw = new RawHttp(admin.port())) {
            RawHttp.Response r = raw.sendRaw("GARBAGE\r\n\r\n");
            assertThat(r.status()).isEqualTo(400);
        }
        try (RawHttp raw = new RawHttp(admin.port())) {
            RawHttp.Response r = raw.send("GET", "x", "/ready", null, "Content-Length: nonsense");
            assertThat(r.status()).isEqualTo(400);
        }
        assertThat(get("/ready").statusCode()).isEqualTo(200);
    }

    @Test
    void keepAliveConnectionsServeSeveralRequests() {
        try (RawHttp raw = new RawHttp(admin.port())) {
            assertThat(raw.send("GET", "admin", "/ready", null).body()).isEqualTo("ready");
            assertThat(raw.send("GET", "admin", "/stats", null).status()).isEqualTo(200);
            assertThat(raw.send("POST", "admin", "/journal/reset", "").status()).isEqualTo(204);
        }
    }

    @Test
    void closeReleasesThePortAndIsIdempotent() {
        int port = admin.port();
        admin.close();
        admin.close();
        assertThatThrownBy(() -> http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ready"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(ConnectException.class);
        try (AdminServer again = AdminServer.builder(proxy).port(port).start()) {
            assertThat(again.port()).isEqualTo(port);
        }
        assertNoAdminThreadsLeft();
    }

    @Test
    void aPortInUseIsReportedAndLeavesNoThreads() {
        int taken = admin.port();
        assertThatThrownBy(() -> AdminServer.builder(proxy).port(taken).start())
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageStartingWith("admin cannot listen on 127.0.0.1:" + taken);
        admin.close();
        assertNoAdminThreadsLeft();
    }

    @Test
    void aCustomConfigLoaderResolvesPlaceholders() {
        admin.close();
        Map<String, String> ports = Map.of("v1", "" + v1.port(), "v2", "" + v2.port());
        admin = AdminServer.builder(proxy)
                .configLoader(yaml -> ConfigLoader.create().withPlaceholders(ports::get).loadString("posted.yaml", yaml))
                .start();
        String withPlaceholders = reviews("v2").replace("http: " + v1.port(), "http: \"${v1}\"")
                .replace("http: " + v2.port(), "http: \"${v2}\"");
        assertThat(post("/config", withPlaceholders).statusCode()).isEqualTo(200);
        assertThat(throughProxy("/")).isEqualTo("v2");
        HttpResponse<String> unresolved = post("/config", withPlaceholders.replace("${v2}", "${v3}"));
        assertThat(unresolved.statusCode()).isEqualTo(400);
        assertThat(json(unresolved).get("errors").get(0).asText()).startsWith("posted.yaml:");
    }

    private static void assertNoAdminThreadsLeft() {
        await().atMost(Duration.ofSeconds(5)).until(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().startsWith("meshunit-admin")));
    }
}
