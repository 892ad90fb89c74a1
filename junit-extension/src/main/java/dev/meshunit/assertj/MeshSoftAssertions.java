package dev.meshunit.assertj;

import dev.meshunit.journal.Attempt;
import dev.meshunit.journal.Exchange;
import dev.meshunit.journal.Journal;
import java.util.List;
import java.util.function.Consumer;
import org.assertj.core.api.AbstractSoftAssertions;
import org.assertj.core.api.SoftAssertionsProvider;

/**
 * {@link MeshAssertions} that collect failures instead of stopping at the first: use
 * {@code MeshSoftAssertions.assertSoftly(softly -> ...)}, or inject it with AssertJ's
 * {@code SoftAssertionsExtension} and {@code @InjectSoftAssertions}. Checks made directly on the list or the
 * exchange are soft; an assert reached by navigating ({@code exchange(i)}) is not.
 */
public class MeshSoftAssertions extends AbstractSoftAssertions {

    public ExchangesAssert assertThat(Journal journal) {
        return assertThat(journal == null ? null : journal.exchanges());
    }

    @SuppressWarnings("unchecked")
    public ExchangesAssert assertThat(List<Exchange> exchanges) {
        return proxy(ExchangesAssert.class, List.class, exchanges);
    }

    public ExchangeAssert assertThat(Exchange exchange) {
        return proxy(ExchangeAssert.class, Exchange.class, exchange);
    }

    public AttemptAssert assertThat(Attempt attempt) {
        return proxy(AttemptAssert.class, Attempt.class, attempt);
    }

    public static void assertSoftly(Consumer<MeshSoftAssertions> softly) {
        SoftAssertionsProvider.assertSoftly(MeshSoftAssertions.class, softly);
    }
}
