package dev.meshunit.assertj.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshunit.journal.DestinationRef;
import dev.meshunit.journal.Exchange;
import dev.meshunit.journal.ResponseFlag;
import dev.meshunit.journal.RouteRef;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class ExchangeTableTest {
    @Test
    void aLongListShowsItsEndsAndCountsTheRest() {
        List<Exchange> many = LongStream.rangeClosed(1, 100).mapToObj(ExchangeTableTest::exchange).toList();

        String table = ExchangeTable.render(many);

        assertThat(table.lines()).hasSize(1 + ExchangeTable.MAX_ROWS + 1);
        assertThat(table).contains("... 70 more ...").containsPattern("\\n  1 ").containsPattern("\\n  100 ");
    }

    @Test
    void noRouteShowsDashes() {
        Exchange e = new Exchange(7, Instant.EPOCH, "127.0.0.1:1", "GET", "nothere", "/", Map.of(), null, null,
                List.of(), null, 404, Set.of(ResponseFlag.NR), 0.25);

        assertThat(ExchangeTable.render(List.of(e))).endsWith("7   GET     nothere/        -      -       404     NR     0         0.3");
    }

    private static Exchange exchange(long id) {
        return new Exchange(id, Instant.EPOCH, "127.0.0.1:1", "GET", "reviews:9080", "/r/" + id, Map.of(),
                new RouteRef("reviews", "default", 0, "r0"), new DestinationRef("reviews.default.svc.cluster.local", "v1", 9080),
                List.of(), null, 200, Set.of(), 1.0);
    }
}
