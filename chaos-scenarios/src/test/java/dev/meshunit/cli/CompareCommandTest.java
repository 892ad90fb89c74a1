package dev.meshunit.cli;

import static dev.meshunit.cli.Fixtures.get;
import static dev.meshunit.cli.Fixtures.json;
import static dev.meshunit.cli.Fixtures.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code meshunit proxy --record-bodies --compare-report}: a local shadow experiment, in this JVM. */
class CompareCommandTest {
    @TempDir
    Path dir;

    private final AtomicLong clock = new AtomicLong();
    private HttpServer v1;
    private HttpServer v2;
    private Path config;

    @BeforeEach
    void backends() {
        // v2 spells the name of user 2 differently; both stamp every answer with a different timestamp
        v1 = Fixtures.jsonBackend(path -> "{\"path\":\"" + path + "\",\"name\":\"ada\",\"timestamp\":" + clock.incrementAndGet() + "}");
        v2 = Fixtures.jsonBackend(path -> "{\"path\":\"" + path + "\",\"name\":\"" + (path.endsWith("/2") ? "Ada" : "ada")
                + "\",\"timestamp\":" + clock.incrementAndGet() + "}");
        config = write(dir, "users.yaml", Fixtures.usersMirrored(v1.getAddress().getPort(), v2.getAddress().getPort()));
    }

    @AfterEach
    void stopBackends() {
        v1.stop(0);
        v2.stop(0);
    }

    /** Sends GET /users/1..n through the proxy, then waits until the admin API says every shadow is journalled. */
    private static void traffic(int proxyPort, int adminPort, int n) {
        for (int i = 1; i <= n; i++) {
            HttpResponse<String> r = Fixtures.viaProxy(proxyPort, "users:9080", "/users/" + i);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(json(r.body()).get("name").asText()).isEqualTo("ada");
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            JsonNode shadows = json(get(adminPort, "/stats").body()).get("shadows");
            return shadows.get("recorded").asInt() == n && shadows.get("inFlight").asInt() == 0;
        });
    }

    @Test
    void reportOnRequestAndOnStopComparesEveryMirroredExchange() throws IOException {
        Path out = dir.resolve("report");
        try (MainTest.Run r = new MainTest.Run("proxy", "--config", config.toString(), "--record-bodies", "65536",
                "--compare-report", out.toString(), "--candidate", "v2", "--ignore", "$.timestamp", "--ignore-header", "date")) {
            Matcher ready = r.ready();
            int proxyPort = Integer.parseInt(ready.group(1));
            int adminPort = Integer.parseInt(ready.group(2));
            traffic(proxyPort, adminPort, 3);

            JsonNode shadows = json(get(adminPort, "/journal/shadows").body());
            assertThat(shadows).hasSize(3);
            assertThat(shadows.findValuesAsText("subset")).containsOnly("v2");

            JsonNode summary = json(get(adminPort, "/compare").body()).get("summary");
            assertThat(summary.get("compared").asInt()).isEqualTo(3);
            assertThat(summary.get("different").asInt()).isEqualTo(1);

            HttpResponse<String> written = Fixtures.post(adminPort, "/compare/report", "");
            assertThat(written.statusCode()).as(written.body()).isEqualTo(200);
            JsonNode answer = json(written.body());
            assertThat(answer.get("summary").get("compared").asInt()).isEqualTo(3);
            assertThat(answer.get("shadowsInFlight").asInt()).isZero();
            assertThat(Path.of(answer.get("json").asText())).isEqualTo(out.resolve("comparison.json").toAbsolutePath());
            assertReport(out, 3);

            // a reset forgets the shadows too; on stop the report is written again, from the journal as it is then
            Files.delete(out.resolve("comparison.json"));
            Files.delete(out.resolve("comparison.html"));
            assertThat(Fixtures.post(adminPort, "/journal/reset", "").statusCode()).isEqualTo(204);
            assertThat(json(get(adminPort, "/compare").body()).get("summary").get("compared").asInt()).isZero();
            traffic(proxyPort, adminPort, 4);
            assertThat(r.stopAndJoin()).as(r.err()).isZero();
            assertThat(r.err()).contains("meshunit comparison report " + out.resolve("comparison.json"))
                    .contains("1 of 4 compared exchanges differ");
            assertReport(out, 4);
        }
    }

    /** Both files exist, the JSON compared {@code n} exchanges and found $.name, the HTML stands alone. */
    private static void assertReport(Path out, int n) throws IOException {
        JsonNode report = json(Files.readString(out.resolve("comparison.json")));
        assertThat(report.get("summary").get("compared").asInt()).isEqualTo(n);
        assertThat(report.get("summary").get("different").asInt()).isEqualTo(1);
        assertThat(report.get("ignoring").toString()).contains("$.timestamp").contains("header date");
        JsonNode differing = report.get("exchanges").findParents("differences").stream()
                .filter(e -> !e.get("differences").isEmpty()).findFirst().orElseThrow();
        assertThat(differing.get("path").asText()).isEqualTo("/users/2");
        assertThat(differing.get("differences").get(0).get("where").asText()).isEqualTo("$.name");

        String html = Files.readString(out.resolve("comparison.html"));
        assertThat(html).startsWith("<!DOCTYPE html>").contains("$.name").contains("/users/2")
                .doesNotContain("http://").doesNotContain("https://").doesNotContainIgnoringCase("<script")
                .doesNotContainIgnoringCase("<link").doesNotContainIgnoringCase("src=");
    }

    @Test
    void recordBodiesAloneKeepsTheStartOfEachAnswer() {
        try (MainTest.Run r = new MainTest.Run("proxy", "--config", config.toString(), "--record-bodies", "8")) {
            Matcher ready = r.ready();
            int proxyPort = Integer.parseInt(ready.group(1));
            int adminPort = Integer.parseInt(ready.group(2));
            traffic(proxyPort, adminPort, 1);
            JsonNode response = json(get(adminPort, "/journal/shadows").body()).get(0).get("response");
            assertThat(response.get("recordedBytes").asInt()).isEqualTo(8);
            assertThat(response.get("truncated").asBoolean()).isTrue();
            assertThat(get(adminPort, "/compare").statusCode()).as("comparing is --compare-report's").isEqualTo(404);
            assertThat(r.stopAndJoin()).isZero();
            assertThat(r.err()).doesNotContain("comparison report");
        }
    }

    @Test
    void comparisonOptionsAreChecked() {
        String c = config.toString();
        assertUsage("--ignore takes a JSON path starting with $, was 'timestamp'",
                "proxy", "--config", c, "--compare-report", dir.toString(), "--ignore", "timestamp");
        assertUsage("--candidate needs --compare-report DIR", "proxy", "--config", c, "--candidate", "v2");
        assertUsage("--ignore-header needs --compare-report DIR", "proxy", "--config", c, "--ignore-header", "date");
        assertUsage("--compare-report needs bodies", "proxy", "--config", c, "--compare-report", dir.toString(),
                "--record-bodies", "0");
        assertUsage("--record-bodies must be 0 or more bytes", "proxy", "--config", c, "--record-bodies=-1");
        assertUsage("--candidate and --secondary name the same subset 'v2'", "proxy", "--config", c,
                "--compare-report", dir.toString(), "--candidate", "v2", "--secondary", "v2");
        Path file = write(dir, "taken.txt", "not a folder");
        assertUsage("--compare-report " + file + ": cannot create the folder", "proxy", "--config", c,
                "--compare-report", file.toString());
    }

    private static void assertUsage(String message, String... args) {
        MainTest.Run r = MainTest.Run.finished(args);
        assertThat(r.exit).as(String.join(" ", args) + "\n" + r.err()).isEqualTo(Main.INVALID);
        assertThat(r.err()).contains(message);
        assertThat(r.out()).isEmpty();
    }
}
