package dev.meshunit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshunit.testing.TestBackend;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code meshunit load}: open loop, latency from when each request was due, one progress line a second. */
class LoadCommandTest {
    private static final Pattern SUMMARY = Pattern.compile(
            "meshunit load: (\\d+) sent, (\\d+) ok, (\\d+) errors(?: \\(([^)]*)\\))?, p50 ([\\d.]+) ms, p90 [\\d.]+ ms, p99 ([\\d.]+) ms, p99.9 [\\d.]+ ms");
    private final TestBackend slow = TestBackend.scripted("slow", n -> TestBackend.Reply.ok("ok").delayed(300));
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @AfterEach
    void stop() {
        slow.close();
    }

    private int load(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "load";
        System.arraycopy(args, 0, all, 1, args.length);
        return Main.run(all, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private Matcher summary() {
        Matcher m = SUMMARY.matcher(out.toString());
        assertThat(m.find()).as(out.toString()).isTrue();
        return m;
    }

    @Test
    void slowAnswersDoNotSlowTheArrivalsAndCountInTheLatency() {
        assertThat(load("--url", "http://127.0.0.1:" + slow.port() + "/x", "--rate", "20", "--duration", "2s")).isEqualTo(0);
        Matcher m = summary();
        // Open loop: 20 a second for 2 s is exactly 40 requests, however slowly they are answered.
        assertThat(m.group(1)).isEqualTo("40");
        assertThat(m.group(2)).isEqualTo("40");
        // Lower bound only: the backend waits 300 ms; the upper end depends on how busy the machine is.
        assertThat(Double.parseDouble(m.group(5))).isGreaterThanOrEqualTo(300);
        long lines = Arrays.stream(err.toString().split("\n")).filter(l -> l.matches("\\[ +\\d+s\\] .*req/s.*p50.*p99.*")).count();
        // once a second, and a last partial one; fewer when the machine starves the progress thread
        assertThat(lines).as(err.toString()).isBetween(1L, 4L);
        assertThat(slow.count()).isEqualTo(40);
    }

    @Test
    void requestsDueWhileTheInFlightLimitIsReachedAreCountedNotSentLate() {
        assertThat(load("--url", "http://127.0.0.1:" + slow.port() + "/x", "--rate", "10", "--duration", "2s",
                "--max-in-flight", "1", "--quiet")).isEqualTo(0);
        Matcher m = summary();
        assertThat(m.group(1)).isEqualTo("20");
        assertThat(m.group(4)).startsWith("overflow ");
        assertThat(Integer.parseInt(m.group(2)) + Integer.parseInt(m.group(4).substring("overflow ".length()))).isEqualTo(20);
        assertThat(err.toString()).doesNotContain("req/s");
    }

    @Test
    void anErrorRateOverTheLimitExitsOne() {
        slow.script(n -> TestBackend.Reply.status(503));
        assertThat(load("--url", "http://127.0.0.1:" + slow.port() + "/", "--rate", "20", "--duration", "1s",
                "--max-error-rate", "5", "--quiet")).isEqualTo(1);
        assertThat(summary().group(4)).isEqualTo("5xx 20");
        assertThat(err.toString()).contains("error rate 100.00% is over --max-error-rate 5.0%");
    }

    @Test
    void badFlagsAreUsageErrors() {
        assertThat(load("--url", "ftp://x", "--rate", "5")).isEqualTo(2);
        assertThat(err.toString()).contains("--url ftp://x: not an http:// or https:// URL");
        assertThat(load("--url", "http://127.0.0.1:1/", "--rate", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("load: rate must be > 0");
        assertThat(load("--url", "http://127.0.0.1:1/", "--rate", "5", "--duration", "soon")).isEqualTo(2);
        assertThat(err.toString()).contains("--duration must be a duration such as 30s, 500ms or 2m, was 'soon'");
    }
}
