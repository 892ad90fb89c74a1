package dev.meshunit.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static dev.meshunit.testing.Configs.serviceEntry;
import static dev.meshunit.testing.Configs.subsets;
import static dev.meshunit.testing.Configs.yaml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshunit.MeshProxy;
import dev.meshunit.testing.RawHttp;
import dev.meshunit.testing.TestBackend;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The admin API's view of mirroring: {@code /journal/shadows}, shadow counts in {@code /stats}, and added endpoints. */
class AdminShadowsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TestBackend v1;
    private TestBackend v2;
    private MeshProxy proxy;
    private AdminServer admin;

    @BeforeEach
    void start() {
        v1 = TestBackend.named("v1");
        v2 = TestBackend.named("v2");
        String yaml = serviceEntry("reviews", v1, v2) + subsets("reviews", "v1", "v2") + """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: reviews}
                spec:
                  hosts: [reviews]
                  http:
                  - name: all
                    route: [{destination: {host: reviews, subset: v1}}]
                    mirror: {host: reviews, subset: v2}
                """;
        proxy = MeshProxy.builder().config(yaml(yaml, v1, v2)).recordBodies(1024).start();
        admin = AdminServer.builder(proxy)
                .endpoint("POST", "/echo", r -> AdminServer.Reply.json(201,
                        "{\"path\":\"" + r.path() + "\",\"body\":\"" + r.body() + "\",\"q\":\"" + r.query().get("q").get(0) + "\"}"))
                .start();
    }

    @AfterEach
    void stop() {
        admin.close();
        proxy.close();
        v1.close();
        v2.close();
    }

    private JsonNode get(String path) {
        RawHttp.Response r = RawHttp.get(admin.port(), "admin", path);
        assertThat(r.status()).as(path + ": " + r.body()).isEqualTo(200);
        return json(r.body());
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends {@code paths} through the proxy, then waits until every shadow copy is journalled. */
    private void mirrored(String... paths) {
        for (String p : paths) assertThat(RawHttp.get(proxy.port(), "reviews:9080", p).body()).isEqualTo("v1");
        await().atMost(Duration.ofSeconds(10)).until(() -> proxy.shadowsInFlight() == 0);
    }

    @Test
    void shadowsAreListedOldestFirstLinkedToTheirPrimary() {
        mirrored("/a", "/b");
        JsonNode journal = get("/journal");
        JsonNode shadows = get("/journal/shadows");
        assertThat(shadows).hasSize(2);
        assertThat(shadows.findValuesAsText("path")).containsExactlyInAnyOrder("/a", "/b");
        for (JsonNode s : shadows) {
            JsonNode primary = null;
            for (JsonNode e : journal) if (e.get("id").asLong() == s.get("primaryId").asLong()) primary = e;
            assertThat(primary).as("primary of " + s).isNotNull();
            assertThat(primary.get("path").asText()).isEqualTo(s.get("path").asText());
            assertThat(s.get("authority").asText()).isEqualTo("reviews-shadow:9080");
            assertThat(s.get("destination").get("host").asText()).isEqualTo("reviews.default.svc.cluster.local");
            assertThat(s.get("destination").get("subset").asText()).isEqualTo("v2");
            assertThat(s.get("destination").get("port").asInt()).isEqualTo(9080);
            assertThat(s.get("endpoint").asText()).isEqualTo("127.0.0.1:" + v2.port());
            assertThat(s.get("sent").asBoolean()).isTrue();
            assertThat(s.get("status").asInt()).isEqualTo(200);
            assertThat(s.get("flags")).isEmpty();
            assertThat(s.get("durationMs").isNumber()).isTrue();
            assertThat(s.get("note").isNull()).isTrue();
            JsonNode response = s.get("response");
            assertThat(response.get("status").asInt()).isEqualTo(200);
            assertThat(response.get("bodyBytes").asLong()).isEqualTo(2);
            assertThat(response.get("recordedBytes").asLong()).isEqualTo(2);
            assertThat(response.get("truncated").asBoolean()).isFalse();
            assertThat(response.get("headers").isObject()).isTrue();
        }
        // the journal's own shape is unchanged by mirroring
        assertThat(journal).hasSize(2);
        assertThat(journal.get(0).has("primaryId")).isFalse();
    }

    @Test
    void limitKeepsTheNewestShadowsAndStatsCountThem() {
        mirrored("/a");
        mirrored("/b");
        mirrored("/c");
        JsonNode two = get("/journal/shadows?limit=2");
        assertThat(two.findValuesAsText("path")).containsExactly("/b", "/c");
        assertThat(get("/journal/shadows?limit=0")).isEmpty();
        assertThat(RawHttp.get(admin.port(), "admin", "/journal/shadows?limit=x").status()).isEqualTo(400);

        JsonNode shadows = get("/stats").get("shadows");
        assertThat(shadows.get("recorded").asLong()).isEqualTo(3);
        assertThat(shadows.get("retained").asInt()).isEqualTo(3);
        assertThat(shadows.get("inFlight").asInt()).isZero();
    }

    @Test
    void resetForgetsShadows() {
        mirrored("/a");
        try (RawHttp raw = new RawHttp(admin.port())) {
            assertThat(raw.send("POST", "admin", "/journal/reset", "").status()).isEqualTo(204);
            assertThat(raw.send("POST", "admin", "/journal/shadows", "").status()).isEqualTo(405);
        }
        assertThat(get("/journal/shadows")).isEmpty();
        assertThat(get("/stats").get("shadows").get("recorded").asLong()).isZero();
        assertThat(proxy.journal().shadows().primary(1)).isNull();
    }

    @Test
    void addedEndpointsAnswerWithTheirMethodOnly() {
        try (RawHttp raw = new RawHttp(admin.port())) {
            RawHttp.Response r = raw.send("POST", "admin", "/echo?q=1", "hi");
            assertThat(r.status()).isEqualTo(201);
            assertThat(r.headers().get("content-type")).isEqualTo("application/json");
            assertThat(json(r.body()).get("path").asText()).isEqualTo("/echo");
            assertThat(json(r.body()).get("body").asText()).isEqualTo("hi");
            assertThat(json(r.body()).get("q").asText()).isEqualTo("1");
            RawHttp.Response wrong = raw.send("GET", "admin", "/echo", null);
            assertThat(wrong.status()).isEqualTo(405);
            assertThat(wrong.headers().get("allow")).isEqualTo("POST");
            RawHttp.Response missing = raw.send("GET", "admin", "/nope", null);
            assertThat(missing.status()).isEqualTo(404);
            assertThat(json(missing.body()).get("error").asText()).contains("/journal/shadows").contains("/echo");
        }
        assertThatThrownBy(() -> AdminServer.builder(proxy).endpoint("GET", "/stats", r -> null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("/stats");
    }
}
