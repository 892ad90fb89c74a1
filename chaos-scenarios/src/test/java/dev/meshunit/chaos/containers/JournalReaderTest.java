package dev.meshunit.chaos.containers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshunit.journal.Attempt;
import dev.meshunit.journal.Exchange;
import dev.meshunit.journal.InjectedFault;
import dev.meshunit.journal.JournalJson;
import dev.meshunit.journal.RecordedBody;
import dev.meshunit.journal.ResponseFlag;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A container's journal JSON reads back with each attempt's upstream path, headers and recorded bodies. */
class JournalReaderTest {
    @Test
    void attemptsKeepWhatWentUpstream() {
        Attempt first = new Attempt(1, "127.0.0.1:1", 503, null, Set.of(), 1.5, "/api/7",
                Map.of("x-envoy-attempt-count", List.of("1"), "host", List.of("reviews.internal")),
                new RecordedBody("{\"id\":7}".getBytes(StandardCharsets.UTF_8), 8, false),
                new RecordedBody("{\"a\":".getBytes(StandardCharsets.UTF_8), 40, true));
        Attempt plain = new Attempt(2, "127.0.0.1:1", 200, null, Set.of(ResponseFlag.URX), 2.0);
        Exchange e = new Exchange(1, Instant.parse("2026-01-01T00:00:00Z"), null, "POST", "reviews:9080", "/v1/7",
                Map.of("x-user", List.of("ada")), null, null, List.of(first, plain), new InjectedFault(0, 0), 200,
                Set.of(ResponseFlag.URX), 4.0);

        List<Exchange> read = JournalReader.exchanges(JournalJson.toJson(List.of(e)));

        assertThat(read).hasSize(1);
        assertThat(read.get(0).attempts()).containsExactly(first, plain);
        assertThat(read.get(0).attempts().get(0).responseBody().truncated()).isTrue();
    }
}
