package dev.meshunit.cli;

import dev.meshunit.internal.netty.NettyWarmUp;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code meshunit cds-training}, run by the {@code meshunit} launcher under {@code -XX:ArchiveClassesAtExit}: does
 * what start-up does, so that the class-data sharing archive holds those classes. It validates a small config
 * (text and JSON), then runs {@code meshunit proxy} as a user would and sends one request through it to a
 * one-answer origin and one to the admin API. Nothing is printed unless something fails (exit 1).
 */
final class ArchiveTraining {
    private static final Pattern READY = Pattern.compile("listening on [^:]+:(\\d+) admin [^:]+:(\\d+)");

    private ArchiveTraining() {}

    static int run(PrintStream err) {
        Path dir = null;
        try (ServerSocket origin = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            dir = Files.createTempDirectory("meshunit-cds");
            Path config = dir.resolve("origin.yaml");
            Files.writeString(config, """
                    apiVersion: networking.istio.io/v1
                    kind: ServiceEntry
                    metadata: {name: origin}
                    spec:
                      hosts: [origin]
                      location: MESH_INTERNAL
                      resolution: STATIC
                      ports: [{number: 80, name: http, protocol: HTTP}]
                      endpoints: [{address: 127.0.0.1, ports: {http: %d}}]
                    """.formatted(origin.getLocalPort()));
            PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
            for (String format : new String[] {"text", "json"}) {
                int code = Main.run(new String[] {"validate", "--config", config.toString(), "--format", format}, quiet, quiet);
                if (code != Main.OK) throw new IllegalStateException("validate exited " + code);
            }
            Thread answering = new Thread(() -> answerOnce(origin), "meshunit-cds-origin");
            answering.setDaemon(true);
            answering.start();
            proxyOnce(config);
            return Main.OK;
        } catch (IOException | RuntimeException | InterruptedException e) {
            err.println("meshunit: cds-training: " + e);
            return Main.FAILED;
        } finally {
            if (dir != null) deleteQuietly(dir);
        }
    }

    /** {@code meshunit proxy} on free ports until one request went through it and one to its admin API. */
    private static void proxyOnce(Path config) throws IOException, InterruptedException {
        NettyWarmUp.inBackground().join(); // what the proxy's own JVM runs beside its config loading
        ByteArrayOutputStream lines = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(lines, true, StandardCharsets.UTF_8);
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        CountDownLatch stop = new CountDownLatch(1);
        int[] code = {-1};
        Thread proxy = new Thread(() -> code[0] = Main.run(new String[] {"proxy", "--config", config.toString()}, out, quiet, stop),
                "meshunit-cds-proxy");
        proxy.start();
        try {
            Matcher ready = null;
            for (int i = 0; i < 600 && proxy.isAlive(); i++) { // at most a minute
                Matcher m = READY.matcher(lines.toString(StandardCharsets.UTF_8));
                if (m.find()) {
                    ready = m;
                    break;
                }
                Thread.sleep(100);
            }
            if (ready == null) throw new IllegalStateException("meshunit proxy did not start (exit " + code[0] + ")");
            String proxied = get(Integer.parseInt(ready.group(1)), "origin", "/");
            if (!proxied.startsWith("HTTP/1.1 200")) throw new IllegalStateException("through the proxy: " + firstLine(proxied));
            get(Integer.parseInt(ready.group(2)), "127.0.0.1", "/ready");
        } finally {
            stop.countDown();
            proxy.join(30_000);
        }
        if (code[0] != Main.OK) throw new IllegalStateException("meshunit proxy exited " + code[0]);
    }

    /** One HTTP/1.1 GET with {@code Connection: close}; the whole answer as text. */
    private static String get(int port, String host, String path) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(30_000);
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    /** The origin: reads one request head, answers 200 and closes. */
    private static void answerOnce(ServerSocket origin) {
        try (Socket s = origin.accept()) {
            s.setSoTimeout(30_000);
            InputStream in = s.getInputStream();
            int matched = 0;
            for (int b; matched < 4 && (b = in.read()) >= 0; ) {
                matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
            }
            s.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: close\r\n\r\nok\n"
                    .getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String firstLine(String answer) {
        int end = answer.indexOf('\r');
        return end < 0 ? answer : answer.substring(0, end);
    }

    private static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp dir left behind is harmless
        }
    }
}
