package dev.meshunit.chaos.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The process provider reads stdout and stderr side by side on threads of its own, whatever the common pool does
 * (JDK 25 runs {@code CompletableFuture}'s async tasks there even at parallelism 1, one at a time on two cores).
 */
class ProcessProviderTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aProcessThatFillsTheStderrPipeBeforeClosingStdoutEnds() throws Exception {
        // 300,000 bytes are more than a pipe holds (64 KiB): unread, the process blocks and never closes stdout.
        JsonNode result = new ProcessProvider().run(JSON.readTree("""
                {"path": "/bin/sh", "timeout": 30,
                 "arguments": ["-c", "head -c 300000 /dev/zero | tr '\\\\000' e >&2; echo out"]}"""));
        assertThat(result.get("status").asInt()).isZero();
        assertThat(result.get("stdout").asText()).isEqualTo("out\n");
        assertThat(result.get("stderr").asText()).hasSize(300_000).matches("e+");
    }

    @Test
    void aBusyCommonPoolDoesNotHoldTheOutputBack() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<Future<?>> blockers = new ArrayList<>();
        for (int i = 0; i < ForkJoinPool.getCommonPoolParallelism() + 1; i++) {
            blockers.add(ForkJoinPool.commonPool().submit(() -> {
                release.await();
                return null;
            }));
        }
        try {
            JsonNode result = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> new ProcessProvider()
                    .run(JSON.readTree("{\"path\": \"echo\", \"arguments\": [\"hi\"], \"timeout\": 15}")));
            assertThat(result.get("stdout").asText()).isEqualTo("hi\n");
        } finally {
            release.countDown();
            for (Future<?> f : blockers) f.get();
        }
    }
}
