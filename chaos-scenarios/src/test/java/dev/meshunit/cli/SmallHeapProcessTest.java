package dev.meshunit.cli;

import static dev.meshunit.cli.Fixtures.get;
import static dev.meshunit.cli.Fixtures.json;
import static dev.meshunit.cli.Fixtures.write;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12's memory findings against {@code meshunit proxy} in a JVM of its own with a small heap: large legal
 * headers over keep-alive connections must leave it answering (the journal is bounded in bytes), and a heap
 * that does run out must end the process with exit 4 and a message, never leave a listener that accepts and
 * never answers.
 */
class SmallHeapProcessTest {
    /** The request: 58 headers of 1,000 bytes, 57 KiB, legal for Envoy (60 KiB). */
    private static final String BIG_GET;

    static {
        StringBuilder b = new StringBuilder("GET /reviews/1 HTTP/1.1\r\nHost: reviews:9080\r\n");
        for (int i = 0; i < 58; i++) {
            String name = "x-big-" + i;
            b.append(name).append(": ").append("v".repeat(1000 - name.length() - 2)).append("\r\n");
        }
        BIG_GET = b.append("\r\n").toString();
    }

    @TempDir
    Path dir;

    private Process start(String heap, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                heap, "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectError(dir.resolve("stderr.txt").toFile()).start();
    }

    private String stderr() throws IOException {
        return Files.readString(dir.resolve("stderr.txt"));
    }

    private static Matcher ready(Process p) throws IOException {
        String line = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
        assertThat(line).as("ready line").isNotNull();
        return Fixtures.ready(line);
    }

    /** Sends {@code n} large GETs on one keep-alive connection; returns how many were answered 200. */
    private static int bigGets(int port, int n) {
        int ok = 0;
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            byte[] request = BIG_GET.getBytes(StandardCharsets.ISO_8859_1);
            for (int i = 0; i < n; i++) {
                out.write(request);
                out.flush();
                if (readStatus(in) != 200) return ok;
                ok++;
            }
        } catch (IOException e) {
            // reset or closed: the caller compares the count
        }
        return ok;
    }

    /** Reads one answer with a Content-Length body; returns its status, or -1 at end of stream. */
    private static int readStatus(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        int c;
        while (!head.toString().endsWith("\r\n\r\n")) {
            if ((c = in.read()) < 0) return -1;
            head.append((char) c);
        }
        String h = head.toString().toLowerCase(java.util.Locale.ROOT);
        int at = h.indexOf("content-length:");
        int length = at < 0 ? 0 : Integer.parseInt(h.substring(at + 15, h.indexOf("\r\n", at)).trim());
        in.readNBytes(length);
        return Integer.parseInt(h.substring(9, 12));
    }

    @Test
    void largeHeadersOnKeepAliveConnectionsUnderXmx64mLeaveTheProxyAnswering() throws Exception {
        HttpServer backend = Fixtures.backend("reviews-v1");
        Path config = write(dir, "reviews.yaml", Fixtures.reviews(backend.getAddress().getPort()));
        Process p = start("-Xmx64m", "proxy", "--config", config.toString());
        ExecutorService clients = Executors.newFixedThreadPool(4);
        try {
            Matcher ready = ready(p);
            int proxyPort = Integer.parseInt(ready.group(1));
            int adminPort = Integer.parseInt(ready.group(2));
            // The issue saw OutOfMemoryError after ~900 such requests; 4 x 750 is three times as many.
            List<Future<Integer>> answered = new ArrayList<>();
            for (int c = 0; c < 4; c++) answered.add(clients.submit(() -> bigGets(proxyPort, 750)));
            for (Future<Integer> f : answered) assertThat(f.get(5, TimeUnit.MINUTES)).as("stderr: %s", stderr()).isEqualTo(750);
            assertThat(Fixtures.viaProxy(proxyPort, "reviews:9080", "/normal").body()).isEqualTo("reviews-v1");

            JsonNode stats = json(get(adminPort, "/stats").body());
            assertThat(stats.get("recorded").asInt()).isEqualTo(3001);
            JsonNode last = json(get(adminPort, "/journal?limit=2").body()).get(0);
            assertThat(last.get("truncated").get("headers").asInt()).isEqualTo(50);
            assertThat(last.get("requestHeaders").size()).isEqualTo(9);

            p.destroy(); // SIGTERM
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("exited after SIGTERM").isTrue();
            assertThat(p.exitValue()).as("stderr: %s", stderr()).isZero();
        } finally {
            clients.shutdownNow();
            p.destroyForcibly();
            backend.stop(0);
        }
    }

    /**
     * Issue 12, finding 2: 1,500 connections each holding a request line and a 50,000-byte header that never ends.
     * Before, from ~1,250 such connections both event loops slept in {@code Bits.reserveMemory} and the proxy
     * answered nothing, even after the clients left. Now unfinished heads share a budget (an eighth of the heap):
     * those past it are refused 503 OM at once, and normal requests are answered throughout.
     */
    @Test
    void fifteenHundredUnfinishedFiftyKilobyteHeadsUnderXmx64mLeaveTheProxyAnswering() throws Exception {
        HttpServer backend = Fixtures.backend("reviews-v1");
        Path config = write(dir, "reviews.yaml", Fixtures.reviews(backend.getAddress().getPort()));
        Process p = start("-Xmx64m", "proxy", "--config", config.toString());
        List<Socket> holders = new ArrayList<>();
        ExecutorService writers = Executors.newFixedThreadPool(4);
        try {
            Matcher ready = ready(p);
            int proxyPort = Integer.parseInt(ready.group(1));
            int adminPort = Integer.parseInt(ready.group(2));
            byte[] head = ("GET /reviews/1 HTTP/1.1\r\nHost: reviews:9080\r\nx-endless: " + "e".repeat(50_000))
                    .getBytes(StandardCharsets.ISO_8859_1);
            List<Future<?>> sent = new ArrayList<>();
            for (int i = 0; i < 1500; i++) {
                Socket s = new Socket("127.0.0.1", proxyPort);
                holders.add(s);
                sent.add(writers.submit(() -> {
                    try {
                        s.getOutputStream().write(head);
                    } catch (IOException refused) {
                        // refused 503 OM and closed while still writing: what the budget is for
                    }
                    return null;
                }));
                if (i % 250 == 249) {
                    assertThat(Fixtures.viaProxy(proxyPort, "reviews:9080", "/during").body()).as("after %d heads", i + 1)
                            .isEqualTo("reviews-v1");
                }
            }
            for (Future<?> f : sent) f.get(2, TimeUnit.MINUTES);
            assertThat(Fixtures.viaProxy(proxyPort, "reviews:9080", "/all-held").body()).isEqualTo("reviews-v1");
            JsonNode downstream = json(get(adminPort, "/stats").body()).get("downstream");
            assertThat(downstream.get("downstream_rq_overload_close").asInt()).as("%s", downstream).isPositive();
            for (Socket s : holders) s.close();
            assertThat(Fixtures.viaProxy(proxyPort, "reviews:9080", "/after").body()).isEqualTo("reviews-v1");
            assertThat(p.isAlive()).as("stderr: %s", stderr()).isTrue();
        } finally {
            writers.shutdownNow();
            for (Socket s : holders) s.close();
            p.destroyForcibly();
            backend.stop(0);
        }
    }

    // Was disabled: twice under load the process never exited. Now FatalHalt, started with the command, halts
    // with exit 4 and a message formatted ahead, allocating nothing it must have on that path.
    @Test
    void aHeapThatRunsOutEndsTheProxyWithExitFourAndAMessage() throws Exception {
        HttpServer backend = Fixtures.backend("reviews-v1");
        Path config = write(dir, "reviews.yaml", Fixtures.reviews(backend.getAddress().getPort()));
        // Bounds lifted far past the heap: the journal fills it, as it did before it was bounded in bytes.
        Process p = start("-Xmx48m", "proxy", "--config", config.toString(), "--journal-max-bytes", "100000000000",
                "--journal-max-headers", "1000000", "--journal-max-header-bytes", "100000000");
        ExecutorService clients = Executors.newFixedThreadPool(2);
        try {
            int proxyPort = Integer.parseInt(ready(p).group(1));
            for (int c = 0; c < 2; c++) clients.submit(() -> {
                while (!Thread.currentThread().isInterrupted() && p.isAlive()) bigGets(proxyPort, 1_000_000);
                return null;
            });
            assertThat(p.waitFor(3, TimeUnit.MINUTES)).as("the proxy exits on its own; stderr: %s", stderr()).isTrue();
            assertThat(p.exitValue()).as("stderr: %s", stderr()).isEqualTo(Main.FATAL);
            assertThat(stderr()).contains("meshunit: fatal: the proxy ran out of memory (java.lang.OutOfMemoryError");
        } finally {
            clients.shutdownNow();
            p.destroyForcibly();
            backend.stop(0);
        }
    }
}
