package dev.meshunit.examples.storefront;

import static dev.meshunit.assertj.MeshAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshunit.chaos.containers.MeshUnitContainer;
import dev.meshunit.cli.Main;
import dev.meshunit.journal.Exchange;
import dev.meshunit.journal.ResponseFlag;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;

/**
 * The README's experiment, unchanged, against the storefront in its container: ratings (busybox httpd) and Redis
 * in theirs, every call of the storefront going through MeshUnit in its own container. The hypothesis holds
 * with the storefront's fallback and deviates (exit code 1) without it. The phases are 5 s instead of the
 * file's 30 s ({@code --var phase_seconds:int=5}), to keep CI short, and the probes wait up to 30 s instead of 2 s
 * ({@code --var probe_timeout:int=30}), so that a busy CI machine cannot fail them (10 s was not enough once,
 * in a flake-check with both cores busy: the after-probe failed with no answer instead of the 503).
 */
class StorefrontExperimentTest {
    private static final Path EXPERIMENT = Path.of("experiment.yaml");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Network network;
    private static GenericContainer<?> ratings;
    private static GenericContainer<?> redis;
    private static MeshUnitContainer mesh;
    private static GenericContainer<?> withFallback;
    private static GenericContainer<?> withoutFallback;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws IOException {
        Assumptions.assumeTrue(DockerClientFactory.instance().isDockerAvailable(), "no Docker");
        network = Network.newNetwork();
        ratings = new GenericContainer<>(Images.BUSYBOX).withNetwork(network).withNetworkAliases("ratings-v1")
                .withCopyToContainer(Transferable.of("{\"stars\": 4, \"reviews\": 12}"), "/www/ratings/1");
        redis = new GenericContainer<>(Images.redis()).withNetwork(network).withNetworkAliases("redis-server")
                .withCommand("--port", "6379", "--save", "", "--appendonly", "no", "--protected-mode", "no")
                .waitingFor(Wait.forLogMessage(".*Ready to accept connections.*", 1));
        mesh = MeshUnitContainer.fromClasspath(Images.JRE).withConfig(Files.readString(Path.of("mesh.yaml")))
                .withSeed(1).withNetwork(network).withNetworkAliases("meshunit", "redis");
        ratings.start();
        redis.start();
        mesh.start();
        // Redis through MeshUnit too: a TCP proxy on the Toxiproxy API, where the storefront looks for redis:6379.
        mesh.toxiproxy("POST", "/proxies", "{\"name\":\"redis\",\"listen\":\"0.0.0.0:6379\",\"upstream\":\"redis-server:6379\"}");
        var image = Images.storefront();
        withFallback = storefront(image, true);
        withoutFallback = storefront(image, false);
        withFallback.start();
        withoutFallback.start();
        // A cold JVM's first call to ratings can take longer than the storefront's 500 ms: warm both up, as a
        // steady state is one the system has reached.
        for (GenericContainer<?> c : List.of(withFallback, withoutFallback)) {
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> status(c, "/products/1") == 200);
        }
    }

    private static int status(GenericContainer<?> c, String path) {
        try {
            var http = java.net.http.HttpClient.newHttpClient();
            return http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://" + c.getHost() + ":"
                    + c.getMappedPort(8080) + path)).timeout(Duration.ofSeconds(5)).build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static GenericContainer<?> storefront(org.testcontainers.images.builder.ImageFromDockerfile image, boolean fallback) {
        return new GenericContainer<>(image).withNetwork(network).withExposedPorts(8080)
                .withEnv("RATINGS_FALLBACK", Boolean.toString(fallback))
                // 1.5 s rather than the service's 500 ms: on a busy CI machine a healthy call can take 500 ms, and
                // the steady state must hold before the method; ratings' injected delay (3 s) is still longer
                .withEnv("RATINGS_TIMEOUT_MS", "1500")
                .withEnv("JAVA_TOOL_OPTIONS", "-Dhttp.proxyHost=meshunit -Dhttp.proxyPort=" + MeshUnitContainer.PROXY_PORT)
                .waitingFor(Wait.forHttp("/health").forStatusCode(200).withStartupTimeout(Duration.ofSeconds(90)));
    }

    @AfterAll
    static void stop() {
        for (GenericContainer<?> c : new GenericContainer<?>[] {withoutFallback, withFallback, mesh, redis, ratings}) {
            if (c != null) c.stop();
        }
        if (network != null) network.close();
    }

    private record Run(int exitCode, String out, String err) {}

    private Run experiment(GenericContainer<?> storefront, String name) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"run", EXPERIMENT.toString(),
                "--var", "storefront=http://" + storefront.getHost() + ":" + storefront.getMappedPort(8080),
                "--var", "admin=" + mesh.adminUri(), "--var", "phase_seconds:int=5", "--var", "probe_timeout:int=30",
                "--journal-path", dir.resolve(name + "-journal.json").toString(),
                "--report", dir.resolve(name + "-report.html").toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(), err.toString());
    }

    private JsonNode file(String name) throws IOException {
        return JSON.readTree(Files.readString(dir.resolve(name)));
    }

    @Test
    void theHypothesisHoldsWithTheFallbackAndDeviatesWithoutIt() throws IOException {
        mesh.resetJournal();
        Run held = experiment(withFallback, "fallback");
        assertThat(held.exitCode()).as(held.err()).isZero();
        assertThat(file("fallback-journal.json").get("deviated").asBoolean()).isFalse();
        JsonNode report = file("fallback-report.json");
        // Wall clock: on a busy machine the odd request may time out, but the fallback keeps 5xx away.
        assertThat(report.get("load").get("outcomes").path("5xx").asLong())
                .isLessThan(report.get("load").get("sent").asLong() / 10);
        dev.meshunit.cli.Chromium.Page page = dev.meshunit.cli.Chromium.open(dir.resolve("fallback-report.html"));
        assertThat(page.console()).as("console messages").isEmpty();
        assertThat(page.dom()).contains("data-rendered=\"ok\"", "data-charts=\"2\"", "status: completed", "ratings-failing",
                "ratings: delay 3s", "ratings: abort 503");

        // What MeshUnit saw of the storefront's calls to ratings, with the in-process sidecar's assertions.
        List<Exchange> calls = mesh.journal();
        assertThat(calls).isNotEmpty();
        List<Exchange> aborted = calls.stream().filter(e -> e.hasFlag(ResponseFlag.FI)).toList();
        assertThat(aborted).isNotEmpty().allHaveStatus(503).hasInjectedAborts(aborted.size());
        assertThat(calls.stream().filter(e -> e.fault().delayMs() == 3000).toList()).isNotEmpty();
        assertThat(calls.stream().filter(e -> e.status() == 200).toList()).allServedBySubset("v1");

        Run deviated = experiment(withoutFallback, "nofallback");
        assertThat(deviated.exitCode()).as(deviated.err()).isEqualTo(1);
        JsonNode journal = file("nofallback-journal.json");
        assertThat(journal.get("steady_states").get("before").get("steady_state_met").asBoolean()).as(deviated.err()).isTrue();
        assertThat(journal.get("deviated").asBoolean()).isTrue();
        JsonNode after = journal.get("steady_states").get("after").get("probes").get(0);
        assertThat(after.path("output").path("status").asInt()).as("the after-probe: %s", after).isEqualTo(503);
        assertThat(after.get("tolerance_met").asBoolean()).isFalse();
        assertThat(deviated.out()).contains("meshunit run: deviated: The product page stays up while ratings is slow, then failing");
        assertThat(mesh.admin("GET", "/faults", null)).as("the rollback ran").isEqualTo("[]");
        copyReportForTheReadme();
    }

    /** With -Dstorefront.report.dir=DIR the fallback run's report is kept there (for the README's picture). */
    private void copyReportForTheReadme() throws IOException {
        String keep = System.getProperty("storefront.report.dir");
        if (keep == null) return;
        Files.createDirectories(Path.of(keep));
        for (String f : List.of("fallback-report.html", "fallback-report.json", "nofallback-report.html")) {
            Files.copy(dir.resolve(f), Path.of(keep, f), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
