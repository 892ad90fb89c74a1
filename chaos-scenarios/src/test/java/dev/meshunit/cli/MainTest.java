package dev.meshunit.cli;

import static dev.meshunit.cli.Fixtures.get;
import static dev.meshunit.cli.Fixtures.json;
import static dev.meshunit.cli.Fixtures.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The meshunit command run in this JVM through {@link Main#run}. */
class MainTest {
    @TempDir
    Path dir;

    /** One in-process run: its output, and for {@code proxy} the thread that runs until stopped. */
    static final class Run implements AutoCloseable {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final CountDownLatch stop = new CountDownLatch(1);
        volatile int exit = -1;
        private final Thread thread;

        Run(String... args) {
            PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
            PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
            thread = new Thread(() -> exit = Main.run(args, o, e, stop), "meshunit-main-test");
            thread.start();
        }

        static Run finished(String... args) {
            try (Run r = new Run(args)) {
                r.join();
                return r;
            }
        }

        String out() {
            return out.toString(StandardCharsets.UTF_8);
        }

        String err() {
            return err.toString(StandardCharsets.UTF_8);
        }

        /** Waits for the ready line and returns its matcher: group 1 the proxy port, group 2 the admin port. */
        Matcher ready() {
            await().atMost(Duration.ofSeconds(20)).until(() -> out().contains("\n") || !thread.isAlive());
            assertThat(out()).as("stderr: %s", err()).endsWith("\n");
            return Fixtures.ready(out().strip());
        }

        int stopAndJoin() {
            stop.countDown();
            join();
            return exit;
        }

        private void join() {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(20));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            assertThat(thread.isAlive()).as("meshunit still running").isFalse();
        }

        @Override
        public void close() {
            stop.countDown();
        }
    }

    @Test
    void helpAndVersionPrintToStdoutAndExitZero() {
        for (String[] args : new String[][] {{"help"}, {"--help"}, {"-h"}, {"proxy", "--help"}, {"validate", "-h"}}) {
            Run r = Run.finished(args);
            assertThat(r.exit).isZero();
            assertThat(r.out()).startsWith("Usage:").contains("meshunit proxy --config PATH").contains("Exit codes");
        }
        Run v = Run.finished("version");
        assertThat(v.exit).isZero();
        assertThat(v.out()).matches("meshunit \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\\n");
    }

    @Test
    void badUsageExitsTwoNamingTheProblem() throws IOException {
        assertUsage(new String[] {}, "no command given");
        assertUsage(new String[] {"serve"}, "unknown command 'serve'");
        assertUsage(new String[] {"proxy", "--port", "1"}, "proxy needs --config");
        assertUsage(new String[] {"proxy", "--config"}, "--config needs a value");
        assertUsage(new String[] {"proxy", "--config", "x.yaml", "--bogus"}, "unknown option --bogus for proxy");
        assertUsage(new String[] {"proxy", "--config", "x.yaml", "--port", "http"}, "--port must be a whole number, was 'http'");
        assertUsage(new String[] {"proxy", "--config", "x.yaml", "--admin-port", "70000"}, "--admin-port must be a port number 0-65535");
        assertUsage(new String[] {"proxy", "--config", "x.yaml", "--port", "1", "--port", "2"}, "--port given more than once");
        assertUsage(new String[] {"proxy", "--config", "x.yaml", "--retry-defaults", "istio-1.9"}, "--retry-defaults must be istio-1.24, istio-1.23 or none, was 'istio-1.9'");
        assertUsage(new String[] {"proxy", "--config", "x.yaml", "--journal-capacity", "0"}, "--journal-capacity must be at least 1");
        assertUsage(new String[] {"proxy", "--config", "x.yaml", "--listener-per-service=yes"}, "--listener-per-service takes no value");
        assertUsage(new String[] {"validate", "x.yaml"}, "unexpected argument 'x.yaml' for validate");
        assertUsage(new String[] {"validate", "--config", dir.resolve("missing.yaml").toString()}, "missing.yaml: no such file or folder");
        assertUsage(new String[] {"validate", "--config", dir.toString()}, "no .yaml or .yml files");
        assertUsage(new String[] {"proxy", "--config", "x.yaml", "--bind", "no-such-host.invalid"},
                "--bind no-such-host.invalid: not an IP address or a known host name");
        Path binary = dir.resolve("binary.yaml");
        Files.write(binary, new byte[] {'k', ':', ' ', (byte) 0xC3, (byte) 0x28});
        assertUsage(new String[] {"validate", "--config", binary.toString()}, binary + ": not UTF-8 text");
    }

    private static void assertUsage(String[] args, String message) {
        Run r = Run.finished(args);
        assertThat(r.exit).as(String.join(" ", args)).isEqualTo(Main.INVALID);
        assertThat(r.err()).startsWith("meshunit: ").contains(message).contains("meshunit --help");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void validateAValidFileExitsZeroWithASummaryOnStdout() {
        Path good = write(dir, "reviews.yaml", Fixtures.reviews(9999));
        Run r = Run.finished("validate", "--config", good.toString());
        assertThat(r.exit).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("1 file, 2 resources: valid (0 warnings)\n");
    }

    @Test
    void validateABrokenFileExitsTwoListingFileAndLine() {
        Path good = write(dir, "a-reviews.yaml", Fixtures.reviews(9999));
        Path bad = write(dir, "b-ratings.yaml", Fixtures.BROKEN);
        Run r = Run.finished("validate", "--config", good.toString(), "--config", bad.toString());
        assertThat(r.exit).isEqualTo(Main.INVALID);
        assertThat(r.err()).contains(bad + ":9:").contains("attempts");
        assertThat(r.out()).matches("2 files, 3 resources: invalid \\(1 error, \\d+ warnings?\\)\\n");

        Run folder = Run.finished("validate", "--config=" + dir);
        assertThat(folder.exit).isEqualTo(Main.INVALID);
        assertThat(folder.out()).startsWith("2 files, 3 resources: invalid");
    }

    @Test
    void validateRealIstioSamples() {
        Path samples = Fixtures.samples();
        Assumptions.assumeTrue(Files.isDirectory(samples), "Istio samples not found at " + samples);

        Run external = Run.finished("validate", "--config", samples.resolve("external").toString());
        assertThat(external.exit).as(external.err()).isZero();
        assertThat(external.out()).matches("\\d+ files, \\d+ resources: valid \\(\\d+ warnings?\\)\\n");

        // Istio's docs apply bookinfo's files one at a time; all at once, their names collide.
        Run bookinfo = Run.finished("validate", "--config", samples.resolve("bookinfo").toString());
        assertThat(bookinfo.exit).isEqualTo(Main.INVALID);
        assertThat(bookinfo.out()).contains(": invalid (");
        assertThat(bookinfo.err().lines().filter(l -> !l.startsWith("warning: ")))
                .isNotEmpty()
                .allSatisfy(l -> assertThat(l).matches(".*\\.yaml:\\d+:\\d+: .*"));
    }

    @Test
    void proxyWithInvalidConfigExitsTwoAndStartsNothing() throws IOException {
        Path bad = write(dir, "ratings.yaml", Fixtures.BROKEN);
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Run r = Run.finished("proxy", "--config", bad.toString(), "--port", "" + port);
        assertThat(r.exit).isEqualTo(Main.INVALID);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains(bad + ":9:").contains("invalid config, nothing started");
        assertRefused(port);
    }

    @Test
    void proxyServesUntilStoppedThenReleasesItsPorts() {
        HttpServer backend = Fixtures.backend("reviews-v1");
        try (Run r = new Run("proxy", "--config", write(dir, "reviews.yaml", Fixtures.reviews(backend.getAddress().getPort())).toString(),
                "--port", "0", "--admin-port", "0", "--seed", "42", "--journal-capacity", "10", "--retry-defaults", "none")) {
            Matcher ready = r.ready();
            int proxyPort = Integer.parseInt(ready.group(1));
            int adminPort = Integer.parseInt(ready.group(2));
            assertThat(proxyPort).isPositive().isNotEqualTo(adminPort);

            assertThat(Fixtures.viaProxy(proxyPort, "reviews:9080", "/reviews/1").body()).isEqualTo("reviews-v1");
            assertThat(get(adminPort, "/ready").body()).isEqualTo("ready");
            JsonNode journal = json(get(adminPort, "/journal").body());
            assertThat(journal).hasSize(1);
            assertThat(journal.get(0).get("path").asText()).isEqualTo("/reviews/1");
            JsonNode stats = json(get(adminPort, "/stats").body());
            assertThat(stats.get("seed").asLong()).isEqualTo(42);
            assertThat(stats.get("capacity").asInt()).isEqualTo(10);

            assertThat(r.stopAndJoin()).isZero();
            assertRefused(proxyPort);
            assertRefused(adminPort);
        } finally {
            backend.stop(0);
        }
    }

    @Test
    void proxyPrintsWarningsServiceListenersAndTheToxiproxyHookOnStderr() {
        String yaml = Fixtures.reviews(9999) + """
                ---
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata: {name: ingress}
                spec: {servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: ['*']}]}
                """;
        try (Run r = new Run("proxy", "--config", write(dir, "reviews.yaml", yaml).toString(), "--listener-per-service",
                "--toxiproxy-port", "0")) {
            r.ready();
            assertThat(r.err())
                    .contains("warning: " + dir.resolve("reviews.yaml") + ":")
                    .contains("skipped Gateway")
                    .containsPattern("meshunit service reviews:9080 listening on 127\\.0\\.0\\.1:\\d+")
                    .containsPattern("meshunit toxiproxy API listening on 127\\.0\\.0\\.1:\\d+");
            java.util.regex.Matcher m = java.util.regex.Pattern
                    .compile("toxiproxy API listening on 127\\.0\\.0\\.1:(\\d+)").matcher(r.err());
            assertThat(m.find()).isTrue();
            eu.rekawek.toxiproxy.ToxiproxyClient client =
                    new eu.rekawek.toxiproxy.ToxiproxyClient("127.0.0.1", Integer.parseInt(m.group(1)));
            assertThatCode(client::getProxies).as("the toxiproxy-java client talks to it").doesNotThrowAnyException();
            assertThat(r.out().lines()).hasSize(1);
            assertThat(r.stopAndJoin()).isZero();
        }
    }

    @Test
    void proxyPlaysAGatewayForTcpRulesAndJournalsTheConnections() throws Exception {
        try (ServerSocket echo = new ServerSocket(0, 10, java.net.InetAddress.getLoopbackAddress())) {
            Thread server = new Thread(() -> {
                try (java.net.Socket s = echo.accept()) {
                    byte[] line = s.getInputStream().readAllBytes();
                    s.getOutputStream().write(("one " + new String(line, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
                } catch (IOException ignored) {
                    // the test fails on the client side
                }
            }, "echo");
            server.start();
            String yaml = """
                    apiVersion: networking.istio.io/v1
                    kind: ServiceEntry
                    metadata: {name: tcp-echo}
                    spec:
                      hosts: [tcp-echo]
                      resolution: STATIC
                      ports: [{number: 9000, name: tcp, protocol: TCP}]
                      endpoints: [{address: 127.0.0.1, ports: {tcp: %d}}]
                    ---
                    apiVersion: networking.istio.io/v1
                    kind: VirtualService
                    metadata: {name: tcp-echo}
                    spec:
                      hosts: ["*"]
                      gateways: [tcp-echo-gateway]
                      tcp:
                      - match: [{port: 31400}]
                        route: [{destination: {host: tcp-echo, port: {number: 9000}}}]
                    """.formatted(echo.getLocalPort());
            try (Run r = new Run("proxy", "--config", write(dir, "tcp-echo.yaml", yaml).toString(), "--gateway", "tcp-echo-gateway")) {
                int adminPort = Integer.parseInt(r.ready().group(2));
                java.util.regex.Matcher m = java.util.regex.Pattern
                        .compile("meshunit service tcp-echo-gateway:31400 listening on 127\\.0\\.0\\.1:(\\d+)").matcher(r.err());
                assertThat(m.find()).as(r.err()).isTrue();
                try (java.net.Socket s = new java.net.Socket("127.0.0.1", Integer.parseInt(m.group(1)))) {
                    s.getOutputStream().write("hello\n".getBytes(StandardCharsets.UTF_8));
                    s.shutdownOutput();
                    assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("one hello\n");
                }
                await().atMost(Duration.ofSeconds(10)).until(() -> json(get(adminPort, "/journal/connections").body()).size() == 1);
                JsonNode c = json(get(adminPort, "/journal/connections").body()).get(0);
                assertThat(c.get("listener").asText()).isEqualTo("tcp-echo-gateway:31400");
                assertThat(c.get("virtualService").asText()).isEqualTo("tcp-echo");
                assertThat(c.get("bytesToClient").asInt()).isEqualTo(10);
                assertThat(r.stopAndJoin()).isZero();
            }
            server.join(5000);
        }
    }

    @Test
    void proxyThatCannotBindExitsOne() throws IOException {
        Path config = write(dir, "reviews.yaml", Fixtures.reviews(9999));
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Run proxyPortTaken = Run.finished("proxy", "--config", config.toString(), "--port", "" + taken.getLocalPort());
            assertThat(proxyPortTaken.exit).isEqualTo(Main.FAILED);
            assertThat(proxyPortTaken.err()).startsWith("meshunit: cannot listen on 127.0.0.1:" + taken.getLocalPort());
            assertThat(proxyPortTaken.out()).isEmpty();

            Run adminPortTaken = Run.finished("proxy", "--config", config.toString(), "--admin-port", "" + taken.getLocalPort());
            assertThat(adminPortTaken.exit).isEqualTo(Main.FAILED);
            assertThat(adminPortTaken.err()).startsWith("meshunit: admin cannot listen on 127.0.0.1:" + taken.getLocalPort());
        }
    }

    private static void assertRefused(int port) {
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                return false;
            } catch (ConnectException refused) {
                return true;
            }
        });
    }
}
