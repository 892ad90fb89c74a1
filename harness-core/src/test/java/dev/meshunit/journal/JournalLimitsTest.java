package dev.meshunit.journal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The journal bounded by bytes: per-exchange header caps with their marker, and the total budget. */
class JournalLimitsTest {
    private static final DestinationRef SVC = new DestinationRef("svc.default.svc.cluster.local", null, 8080);

    private static Exchange exchange(long id, Map<String, List<String>> headers) {
        return new Exchange(id, Instant.EPOCH, "127.0.0.1", "GET", "svc:8080", "/x", headers, null, SVC,
                List.of(new Attempt(1, "127.0.0.1:1", 200, null, Set.of(), 1)), InjectedFault.NONE, 200, Set.of(), 1);
    }

    /** The request: 58 headers of 1,000 bytes (57 KiB, legal for Envoy). */
    private static Map<String, List<String>> bigHeaders() {
        Map<String, List<String>> h = new LinkedHashMap<>();
        h.put("host", List.of("svc:8080"));
        for (int i = 0; i < 58; i++) h.put("x-big-" + i, List.of("v".repeat(1000 - ("x-big-" + i).length())));
        return h;
    }

    @Test
    void headersPastTheCapAreLeftOutAndNamed() {
        Journal journal = new Journal(100, 1);
        journal.record(exchange(journal.nextId(), bigHeaders()));
        Exchange e = journal.exchanges().get(0);
        // 8 KiB of names and values: host and 8 of the 1,000-byte headers; the other 50 are named.
        assertThat(e.requestHeader("host")).isEqualTo("svc:8080");
        assertThat(e.requestHeaders()).hasSize(9);
        assertThat(e.truncation().any()).isTrue();
        assertThat(e.truncation().headers()).isEqualTo(50);
        assertThat(e.truncation().headerBytes()).isEqualTo(50_000);
        assertThat(e.truncation().names()).hasSize(Truncation.MAX_NAMES).allMatch(n -> n.startsWith("x-big-"));
        // Smallest first, then by name: which headers survive does not depend on map order.
        assertThat(e.requestHeaders().keySet()).containsExactlyInAnyOrder("host", "x-big-0", "x-big-1", "x-big-10",
                "x-big-11", "x-big-12", "x-big-13", "x-big-14", "x-big-15");
    }

    @Test
    void tenThousandSmallValuesAreCutToTheHeaderCount() {
        Journal journal = new Journal(100, 1);
        List<String> values = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) values.add("b");
        journal.record(exchange(journal.nextId(), Map.of("a", values, "host", List.of("svc:8080"))));
        Exchange e = journal.exchanges().get(0);
        assertThat(e.requestHeaders().get("a")).hasSize(99);
        assertThat(e.requestHeader("host")).isEqualTo("svc:8080");
        assertThat(e.truncation()).isEqualTo(new Truncation(9_901, 19_802, List.of("a")));
        assertThat(journal.retainedBytes()).isLessThan(16 * 1024);
    }

    @Test
    void smallRequestsAreKeptWhole() {
        Journal journal = new Journal(100, 1);
        journal.record(exchange(journal.nextId(), Map.of("host", List.of("svc:8080"), "end-user", List.of("jason"))));
        Exchange e = journal.exchanges().get(0);
        assertThat(e.truncation()).isSameAs(Truncation.NONE);
        assertThat(e.requestHeaders()).hasSize(2);
    }

    @Test
    void theMarkerIsInTheJsonOnlyWhenSomethingWasCut() throws Exception {
        Journal journal = new Journal(100, 1);
        journal.record(exchange(journal.nextId(), Map.of("host", List.of("svc:8080"))));
        journal.record(exchange(journal.nextId(), bigHeaders()));
        JsonNode json = new ObjectMapper().readTree(JournalJson.toJson(journal.exchanges()));
        assertThat(json.get(0).has("truncated")).isFalse();
        JsonNode cut = json.get(1).get("truncated");
        assertThat(cut.get("headers").asInt()).isEqualTo(50);
        assertThat(cut.get("headerBytes").asLong()).isEqualTo(50_000);
        assertThat(cut.get("names")).hasSize(Truncation.MAX_NAMES);
    }

    @Test
    void aFullDefaultJournalOfLargeHeadersStaysWithinItsByteBudget() {
        Journal journal = new Journal(10_000, 1);
        for (int i = 0; i < 10_000; i++) journal.record(exchange(journal.nextId(), bigHeaders()));
        assertThat(journal.retainedBytes()).isLessThanOrEqualTo(JournalLimits.DEFAULT_MAX_BYTES);
        assertThat(journal.recorded()).isEqualTo(10_000);
        // About 10 KiB each once cut: the budget holds some 1,600 of them, the counters all 10,000.
        assertThat(journal.exchanges().size()).isBetween(1_000, 2_500);
        assertThat(journal.dropped()).isEqualTo(10_000 - journal.exchanges().size());
        assertThat(journal.exchanges().get(journal.exchanges().size() - 1).id()).isEqualTo(10_000);
        assertThat(journal.clusterCounters().get(SVC).total()).isEqualTo(10_000);
    }

    @Test
    void theByteBudgetDropsTheOldestFirst() {
        Journal journal = new Journal(1_000, 1, JournalLimits.DEFAULT.withMaxBytes(64 * 1024));
        for (int i = 0; i < 100; i++) journal.record(exchange(journal.nextId(), bigHeaders()));
        List<Exchange> kept = journal.exchanges();
        assertThat(journal.retainedBytes()).isLessThanOrEqualTo(64 * 1024).isPositive();
        assertThat(kept.get(kept.size() - 1).id()).isEqualTo(100);
        assertThat(kept.get(0).id()).isEqualTo(100 - kept.size() + 1);
        assertThat(journal.dropped()).isEqualTo(100 - kept.size());
        journal.reset();
        assertThat(journal.retainedBytes()).isZero();
    }

    @Test
    void oneExchangeLargerThanTheBudgetIsStillKept() {
        Journal journal = new Journal(10, 1, new JournalLimits(1, 100, 8192));
        journal.record(exchange(journal.nextId(), bigHeaders()));
        journal.record(exchange(journal.nextId(), bigHeaders()));
        assertThat(journal.exchanges()).extracting(Exchange::id).containsExactly(2L);
    }

    @Test
    void recordedBodiesOfMirroredRequestsCountAgainstTheBudget() {
        Journal journal = new Journal(10_000, 1, JournalLimits.DEFAULT.withMaxBytes(1024 * 1024));
        byte[] body = new byte[64 * 1024];
        for (long id = 1; id <= 100; id++) {
            RecordedResponse r = new RecordedResponse(200, Map.of(), body, body.length, false);
            journal.shadows().recordPrimary(id, r);
            journal.shadows().record(new ShadowExchange(id, Instant.EPOCH, "GET", "svc-shadow:8080", "/", SVC,
                    "127.0.0.1:2", 200, null, Set.of(), 1, r));
        }
        assertThat(journal.shadows().retainedBytes()).isLessThanOrEqualTo(1024 * 1024);
        assertThat(journal.shadows().recorded()).isEqualTo(100);
        assertThat(journal.shadows().all()).isNotEmpty().allMatch(s -> s.primaryId() > 90);
        assertThat(journal.shadows().primary(100)).isNotNull();
        assertThat(journal.shadows().primary(1)).isNull();
    }
}
