package dev.meshunit.cli;

import static dev.meshunit.cli.Fixtures.get;
import static dev.meshunit.cli.Fixtures.json;
import static dev.meshunit.cli.Fixtures.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The meshunit command as scripts see it: a separate JVM, its stdout, stderr, exit code and signals. Surefire
 * runs before the jar is packaged, so the JVM gets this test's classpath and the main class.
 */
class MeshunitProcessTest {
    @TempDir
    Path dir;

    private Process start(String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        try {
            return new ProcessBuilder(command).redirectError(dir.resolve("stderr.txt").toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String stderr() throws IOException {
        return Files.readString(dir.resolve("stderr.txt"));
    }

    /** Lines of the process's stdout, as they come. */
    static BlockingQueue<String> lines(Process p) {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) lines.add(line);
            } catch (IOException closed) {
                // the process went away
            }
        }, "meshunit-stdout");
        reader.setDaemon(true);
        reader.start();
        return lines;
    }

    @Test
    void proxyProcessServesReportsRefusesBadConfigAndStopsCleanlyOnSigterm() throws Exception {
        HttpServer backend = Fixtures.backend("reviews-v1");
        Path config = write(dir, "reviews.yaml", Fixtures.reviews(backend.getAddress().getPort()));
        Process p = start("proxy", "--config", config.toString(), "--port", "0", "--admin-port", "0", "--seed", "3");
        try {
            String line = lines(p).poll(60, TimeUnit.SECONDS);
            assertThat(line).as("ready line; stderr: %s", stderr()).isNotNull();
            Matcher ready = Fixtures.ready(line);
            int proxyPort = Integer.parseInt(ready.group(1));
            int adminPort = Integer.parseInt(ready.group(2));

            assertThat(Fixtures.viaProxy(proxyPort, "reviews:9080", "/reviews/7").body()).isEqualTo("reviews-v1");
            JsonNode journal = json(get(adminPort, "/journal").body());
            assertThat(journal).hasSize(1);
            assertThat(journal.get(0).get("authority").asText()).isEqualTo("reviews:9080");
            assertThat(journal.get(0).get("status").asInt()).isEqualTo(200);

            HttpResponse<String> refused = Fixtures.post(adminPort, "/config", Fixtures.BROKEN);
            assertThat(refused.statusCode()).isEqualTo(400);
            assertThat(json(refused.body()).get("errors").get(0).asText()).startsWith("<request body>:9:");
            assertThat(Fixtures.viaProxy(proxyPort, "reviews:9080", "/again").body()).isEqualTo("reviews-v1");

            p.destroy(); // SIGTERM
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("exited after SIGTERM").isTrue();
            assertThat(p.exitValue()).as("stderr: %s", stderr()).isZero();
        } finally {
            p.destroyForcibly();
            backend.stop(0);
        }
    }

    @Test
    void curlWithHttp2PriorKnowledgeIsRoutedByAuthorityAndJournalled() throws Exception {
        HttpServer backend = Fixtures.backend("reviews-v1");
        Path config = write(dir, "reviews.yaml", Fixtures.reviews(backend.getAddress().getPort()));
        Process p = start("proxy", "--config", config.toString(), "--port", "0", "--admin-port", "0");
        try {
            String line = lines(p).poll(60, TimeUnit.SECONDS);
            assertThat(line).as("ready line; stderr: %s", stderr()).isNotNull();
            Matcher ready = Fixtures.ready(line);
            // curl sends a Host header over HTTP/2 as :authority.
            Process curl = new ProcessBuilder("curl", "-sS", "--http2-prior-knowledge", "-H", "Host: reviews:9080",
                    "-w", "\n%{http_version} %{http_code}", "http://127.0.0.1:" + ready.group(1) + "/reviews/h2")
                    .redirectErrorStream(true).start();
            String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(curl.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(out).isEqualTo("reviews-v1\n2 200");
            JsonNode journal = json(get(Integer.parseInt(ready.group(2)), "/journal").body());
            assertThat(journal).hasSize(1);
            JsonNode e = journal.get(0);
            assertThat(e.get("protocol").asText()).isEqualTo("HTTP/2");
            assertThat(e.get("streamId").asInt()).isEqualTo(1);
            assertThat(e.get("authority").asText()).isEqualTo("reviews:9080");
            assertThat(e.get("path").asText()).isEqualTo("/reviews/h2");
            assertThat(e.get("status").asInt()).isEqualTo(200);
        } finally {
            p.destroyForcibly();
            backend.stop(0);
        }
    }

    @Test
    void compareReportIsWrittenOnSigterm() throws Exception {
        HttpServer v1 = Fixtures.jsonBackend(path -> "{\"name\":\"ada\"}");
        HttpServer v2 = Fixtures.jsonBackend(path -> "{\"name\":\"Ada\"}");
        Path config = write(dir, "users.yaml", Fixtures.usersMirrored(v1.getAddress().getPort(), v2.getAddress().getPort()));
        Path out = dir.resolve("report");
        Process p = start("proxy", "--config", config.toString(), "--compare-report", out.toString());
        try {
            String line = lines(p).poll(60, TimeUnit.SECONDS);
            assertThat(line).as("ready line; stderr: %s", stderr()).isNotNull();
            Matcher ready = Fixtures.ready(line);
            int adminPort = Integer.parseInt(ready.group(2));
            assertThat(Fixtures.viaProxy(Integer.parseInt(ready.group(1)), "users:9080", "/users/1").statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    json(get(adminPort, "/stats").body()).get("shadows").get("recorded").asInt() == 1);

            p.destroy(); // SIGTERM
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("exited after SIGTERM").isTrue();
            assertThat(p.exitValue()).as("stderr: %s", stderr()).isZero();
            assertThat(stderr()).contains("1 of 1 compared exchanges differ");
            assertThat(json(Files.readString(out.resolve("comparison.json"))).get("summary").get("different").asInt()).isEqualTo(1);
            assertThat(out.resolve("comparison.html")).isNotEmptyFile();
        } finally {
            p.destroyForcibly();
            v1.stop(0);
            v2.stop(0);
        }
    }

    @Test
    void validateProcessExitCodes() throws Exception {
        Process good = start("validate", "--config", write(dir, "reviews.yaml", Fixtures.reviews(9999)).toString());
        String goodOut = new String(good.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(good.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(good.exitValue()).as(stderr()).isZero();
        assertThat(goodOut).isEqualTo("1 file, 2 resources: valid (0 warnings)\n");

        Path broken = write(dir, "ratings.yaml", Fixtures.BROKEN);
        Process bad = start("validate", "--config", broken.toString());
        String badOut = new String(bad.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(bad.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(bad.exitValue()).isEqualTo(2);
        assertThat(stderr()).contains(broken + ":9:");
        assertThat(badOut).startsWith("1 file, 1 resource: invalid (1 error");
    }
}
