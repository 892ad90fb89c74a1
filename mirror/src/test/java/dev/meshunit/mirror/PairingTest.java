package dev.meshunit.mirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshunit.journal.DestinationRef;
import dev.meshunit.journal.Exchange;
import dev.meshunit.journal.InjectedFault;
import dev.meshunit.journal.JournalWriter;
import dev.meshunit.journal.RecordedResponse;
import dev.meshunit.journal.ResponseFlag;
import dev.meshunit.journal.RouteRef;
import dev.meshunit.journal.ShadowExchange;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Pairing and waiting on a journal filled by hand: no proxy, no sockets. */
class PairingTest {
    private static final DestinationRef V2 = new DestinationRef("users.default.svc.cluster.local", "v2", 9080);

    private static RecordedResponse answer(int status, String body) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        return new RecordedResponse(status, Map.of("content-type", List.of("application/json")), b, b.length, false);
    }

    private static void primary(JournalWriter journal, long id, String body) {
        journal.recordPrimary(id, answer(200, body));
        journal.record(new Exchange(id, Instant.EPOCH, "test", "GET", "users:9080", "/u/" + id, Map.of(),
                new RouteRef("users", "default", 0, "http[0]"), null, List.of(), InjectedFault.NONE, 200, Set.of(), 1));
    }

    private static ShadowExchange shadow(long id, String body) {
        return new ShadowExchange(id, Instant.EPOCH, "GET", "users-shadow:9080", "/u/" + id, V2, "127.0.0.1:1", 200,
                null, Set.of(), 1, answer(200, body));
    }

    @Test
    void awaitShadowsWakesWhenTheLastShadowIsJournalled() throws Exception {
        JournalWriter journal = new JournalWriter(100, 1);
        primary(journal, 1, "{\"a\": 1}");
        primary(journal, 2, "{\"a\": 1}");
        journal.recordShadow(shadow(1, "{\"a\": 1}"));
        ShadowComparison comparison = ShadowComparison.on(journal.journal()).build();
        CountDownLatch waiting = new CountDownLatch(1);
        CompletableFuture<Void> done = CompletableFuture.runAsync(() -> {
            waiting.countDown();
            comparison.awaitShadows(2, Duration.ofSeconds(20));
        }, Async.THREAD_PER_TASK);
        assertThat(waiting.await(10, TimeUnit.SECONDS)).isTrue();
        journal.recordShadow(shadow(2, "{\"a\": 2}"));
        done.get(20, TimeUnit.SECONDS);
        ComparisonResult result = comparison.compare();
        assertThat(result.compared()).isEqualTo(2);
        assertThat(result.differences()).extracting(Difference::toString).containsExactly("$.a: 1 -> 2");
        assertThat(result.routes()).containsOnlyKeys("users/http[0]");
    }

    @Test
    void awaitShadowsSaysWhatIsMissingWhenTimeIsUp() {
        JournalWriter journal = new JournalWriter(100, 1);
        journal.recordShadow(shadow(1, "{}"));
        assertThatThrownBy(() -> ShadowComparison.on(journal.journal()).build().awaitShadows(1, Duration.ofMillis(50)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("0 ready, 1 shadows journalled")
                .hasMessageContaining("recordBodies");
    }

    @Test
    void copiesNeverSentAreSkippedWithTheirReason() {
        JournalWriter journal = new JournalWriter(100, 1);
        primary(journal, 1, "{}");
        journal.recordShadow(new ShadowExchange(1, Instant.EPOCH, "POST", "users-shadow:9080", "/u/1", V2, null, 0,
                "request body over 16 bytes (mirror body bound): not mirrored", Set.of(), 0, null));
        journal.recordShadow(new ShadowExchange(2, Instant.EPOCH, "GET", "users-shadow:9080", "/u/2", V2,
                "127.0.0.1:1", 0, "connection failure", Set.of(ResponseFlag.UF), 1, null));
        ComparisonResult result = ShadowComparison.on(journal.journal()).build().compare();
        assertThat(result.skipped()).extracting(Skipped::reason).containsExactly(
                "request body over 16 bytes (mirror body bound): not mirrored",
                "primary answer not recorded (recordBodies off, or dropped)");
        assertThatThrownBy(() -> MirrorAssertions.assertThat(result).hasNoDifferences())
                .hasMessageContaining("no exchange was compared").hasMessageContaining("not compared: [Skipped[");
    }
}
