package dev.meshunit.assertj;

import dev.meshunit.assertj.internal.ExchangeTable;
import dev.meshunit.journal.Exchange;
import dev.meshunit.journal.ResponseFlag;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Predicate;
import org.assertj.core.api.AbstractAssert;
import org.assertj.core.api.AbstractDoubleAssert;
import org.assertj.core.api.Assertions;

/** Assertions on a list of exchanges, oldest first (a journal, or the exchanges of one service). */
public final class ExchangesAssert extends AbstractAssert<ExchangesAssert, List<Exchange>> {

    ExchangesAssert(List<Exchange> actual) {
        super(actual == null ? null : List.copyOf(actual), ExchangesAssert.class);
    }

    public ExchangesAssert hasRequestCount(int expected) {
        isNotNull();
        if (actual.size() != expected) {
            fail("expected %d exchanges but the proxy recorded %d", expected, actual.size());
        }
        return this;
    }

    public ExchangesAssert allServedBySubset(String subset) {
        return allMatch(e -> Objects.equals(e.subset(), subset), "to be served by subset " + subset);
    }

    public ExchangesAssert allHaveStatus(int status) {
        return allMatch(e -> e.status() == status, "to have status " + status);
    }

    public ExchangesAssert allHaveFlag(ResponseFlag flag) {
        return allMatch(e -> e.hasFlag(flag), "to have flag " + flag);
    }

    public ExchangesAssert noneHasFlag(ResponseFlag flag) {
        return allMatch(e -> !e.hasFlag(flag), "not to have flag " + flag);
    }

    /** No exchange made more than {@code maxRetries} retries (attempts after the first). */
    public ExchangesAssert hasBoundedRetries(int maxRetries) {
        return allMatch(e -> e.retries() <= maxRetries, "to retry at most " + maxRetries + " times");
    }

    /** The share of exchanges served by a subset, within {@code tolerance} of {@code expected} (0 to 1). */
    public ExchangesAssert hasSubsetShare(String subset, double expected, double tolerance) {
        isNotEmpty();
        double share = share(subset);
        if (Math.abs(share - expected) > tolerance) {
            fail("expected subset %s to serve %s of the exchanges (± %s) but it served %s (%d of %d)",
                    subset, percent(expected), percent(tolerance), percent(share),
                    actual.stream().filter(e -> Objects.equals(e.subset(), subset)).count(), actual.size());
        }
        return this;
    }

    /** The share of a subset as a number to assert on, e.g. {@code .isCloseTo(0.8, within(0.03))}. */
    public AbstractDoubleAssert<?> subsetShare(String subset) {
        isNotEmpty();
        return Assertions.assertThat(share(subset))
                .as("share of exchanges served by subset %s, of:%n%s", subset, ExchangeTable.render(actual));
    }

    public ExchangesAssert isNotEmpty() {
        isNotNull();
        if (actual.isEmpty()) failWithMessage("%s", "expected exchanges but the proxy recorded none");
        return this;
    }

    /** The {@code index}-th exchange (0 is the oldest). */
    public ExchangeAssert exchange(int index) {
        isNotNull();
        if (index < 0 || index >= actual.size()) {
            fail("there is no exchange %d: the proxy recorded %d", index, actual.size());
        }
        return new ExchangeAssert(actual.get(index));
    }

    public ExchangeAssert singleExchange() {
        hasRequestCount(1);
        return new ExchangeAssert(actual.get(0));
    }

    private double share(String subset) {
        return (double) actual.stream().filter(e -> Objects.equals(e.subset(), subset)).count() / actual.size();
    }

    private ExchangesAssert allMatch(Predicate<Exchange> expectation, String what) {
        isNotEmpty();
        List<Exchange> misses = actual.stream().filter(expectation.negate()).toList();
        if (!misses.isEmpty()) {
            failWithMessage("%s", "expected every exchange " + what + " but " + misses.size() + " of " + actual.size()
                    + " did not:\n" + ExchangeTable.render(misses));
        }
        return this;
    }

    private void fail(String format, Object... args) {
        failWithMessage("%s", String.format(Locale.ROOT, format, args) + ":\n" + ExchangeTable.render(actual));
    }

    private static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.1f%%", fraction * 100);
    }
}
