package dev.meshunit.cli;

import static dev.meshunit.cli.Fixtures.write;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What start-up loads (issue 16), in a JVM of its own with {@code -verbose:class}: {@code validate} loads neither
 * Netty, the data plane nor Jackson's databind; {@code proxy} answers a first request without making an ObjectMapper (the
 * admin API makes its mappers when asked) and without Netty's Flight Recorder events; and {@code cds-training}, which the launcher runs to
 * build its class-data sharing archive, goes through validate and a proxied request without a word.
 * No timing is asserted: the figures are in examples/bench (startup.sh).
 */
class StartupClassesTest {
    @TempDir
    Path dir;

    @Test
    void validateLoadsNoNettyNoDataPlaneAndNoDatabind() throws Exception {
        Path config = write(dir, "reviews.yaml", Fixtures.reviews(9080));
        Process p = new ProcessBuilder(java(), "-verbose:class", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "validate", "--config", config.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("out.txt").toFile()).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        List<String> loaded = Files.readAllLines(dir.resolve("out.txt")).stream()
                .filter(l -> l.startsWith("[") && l.contains("class,load")).toList();
        assertThat(p.exitValue()).as("exit; output %s", Files.readString(dir.resolve("out.txt"))).isZero();
        assertThat(loaded).as("the validator itself ran").anyMatch(l -> l.contains("dev.meshunit.config.load.ConfigValidator "));
        assertThat(loaded).noneMatch(l -> l.contains("io.netty."))
                .noneMatch(l -> l.contains("dev.meshunit.internal."))
                .noneMatch(l -> l.contains("dev.meshunit.MeshProxy "))
                .noneMatch(l -> l.contains("jackson.databind."))
                .noneMatch(l -> l.contains("dev.meshunit.admin."));
    }

    @Test
    void proxyAnswersItsFirstRequestWithoutAnObjectMapperOrNettysFlightRecorderEvents() throws Exception {
        HttpServer backend = Fixtures.backend("reviews-v1");
        Path config = write(dir, "reviews.yaml", Fixtures.reviews(backend.getAddress().getPort()));
        Process p = new ProcessBuilder(java(), "-verbose:class", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "proxy", "--config", config.toString())
                .redirectErrorStream(true).start();
        // -verbose:class writes to stdout: read all the time, or the proxy blocks on a full pipe
        BlockingQueue<String> lines = MeshunitProcessTest.lines(p);
        List<String> loaded = new ArrayList<>();
        try {
            String line;
            while ((line = lines.poll(60, TimeUnit.SECONDS)) != null && !line.startsWith("meshunit proxy listening")) {
                loaded.add(line);
            }
            assertThat(line).as("ready line; output %s", loaded).isNotNull();
            int port = Integer.parseInt(Fixtures.ready(line).group(1));
            assertThat(Fixtures.viaProxy(port, "reviews:9080", "/reviews/1").body()).isEqualTo("reviews-v1");
            p.destroy();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            while ((line = lines.poll(5, TimeUnit.SECONDS)) != null) loaded.add(line); // the rest, to the exit
        } finally {
            p.destroyForcibly();
            backend.stop(0);
        }
        assertThat(loaded).as("the request went through the data path").anyMatch(l -> l.contains("dev.meshunit.internal.netty."))
                .noneMatch(l -> l.contains("jackson.databind.ObjectMapper "))
                .noneMatch(l -> l.contains("io.netty.buffer.AllocateBufferEvent"));
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    @Test
    void archiveTrainingValidatesAndProxiesQuietly() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"cds-training"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(code).isZero();
    }
}
