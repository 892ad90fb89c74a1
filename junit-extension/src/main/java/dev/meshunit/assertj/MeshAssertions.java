package dev.meshunit.assertj;

import dev.meshunit.journal.Attempt;
import dev.meshunit.journal.Exchange;
import dev.meshunit.journal.Journal;
import java.util.List;

/**
 * The entry point of MeshUnit's assertions: start from the journal, narrow to the exchanges of interest,
 * then to one exchange. Failures show the exchanges concerned as a table.
 *
 * <pre>{@code
 * assertThat(mesh.exchanges("reviews")).hasRequestCount(100).hasSubsetShare("v1", 0.8, 0.05);
 * }</pre>
 */
public final class MeshAssertions {
    private MeshAssertions() {}

    /** The journal's retained exchanges, as they are now. */
    public static ExchangesAssert assertThat(Journal journal) {
        return new ExchangesAssert(journal == null ? null : journal.exchanges());
    }

    public static ExchangesAssert assertThat(List<Exchange> exchanges) {
        return new ExchangesAssert(exchanges);
    }

    public static ExchangeAssert assertThat(Exchange exchange) {
        return new ExchangeAssert(exchange);
    }

    public static AttemptAssert assertThat(Attempt attempt) {
        return new AttemptAssert(attempt);
    }
}
