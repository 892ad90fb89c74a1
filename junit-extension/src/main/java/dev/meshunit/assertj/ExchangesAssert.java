package dev.meshunit.assertj;

import dev.meshunit.assertj.internal.Calls;
import dev.meshunit.assertj.internal.ExchangeTable;
import dev.meshunit.assertj.internal.ResilienceChecks;
import dev.meshunit.fault.CallKey;
import dev.meshunit.journal.Exchange;
import dev.meshunit.journal.ResponseFlag;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Predicate;
import org.assertj.core.api.AbstractAssert;
import org.assertj.core.api.AbstractDoubleAssert;
import org.assertj.core.api.Assertions;

/**
 * Assertions on a list of exchanges, oldest first (a journal, or the exchanges of one service). The resilience
 * checks read the caller's logical calls: requests with the same {@link CallKey} (method, authority and path
 * unless {@link #byCall} says otherwise) up to and including the first that succeeded.
 */
public class ExchangesAssert extends AbstractAssert<ExchangesAssert, List<Exchange>> {
    private CallKey callKey = CallKey.methodAndPath();

    public ExchangesAssert(List<Exchange> actual) {
        super(actual == null ? null : List.copyOf(actual), ExchangesAssert.class);
    }

    /** What makes requests one logical call, e.g. {@code CallKey.header("idempotency-key")}. */
    public ExchangesAssert byCall(CallKey key) {
        this.callKey = java.util.Objects.requireNonNull(key, "key");
        return this;
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

    /**
     * No logical call was retried more than {@code maxRetries} times, counting the caller's own retries (more
     * requests of the call) and the proxy's (more attempts of a request).
     */
    public ExchangesAssert hasBoundedRetries(int maxRetries) {
        return resilience(ResilienceChecks.boundedRetries(calls(), maxRetries));
    }

    /** The caller retried, and waited at least {@code min} from the end of one try to the start of the next. */
    public ExchangesAssert retriedWithBackoff(Duration min) {
        return resilience(ResilienceChecks.backoff(calls(), min));
    }

    /**
     * The caller waited no longer than {@code limit} for any request: each ended within it (one the client
     * abandoned has flag DC), or the client had sent its next try of the call by then.
     */
    public ExchangesAssert gaveUpWithin(Duration limit) {
        return resilience(ResilienceChecks.gaveUpWithin(calls(), limit));
    }

    /** A circuit breaker: after {@code failures} consecutive 5xx or unanswered requests, none for {@code pause}. */
    public ExchangesAssert stoppedCallingAfter(int failures, Duration pause) {
        return resilience(ResilienceChecks.stoppedCallingAfter(actual, failures, pause));
    }

    /** A bulkhead: never more than {@code max} requests in flight at once (from each exchange's start and duration). */
    public ExchangesAssert neverExceededConcurrency(int max) {
        return resilience(ResilienceChecks.concurrency(actual, max));
    }

    public ExchangesAssert allCompletedWithin(Duration limit) {
        return allMatch(e -> e.durationMs() <= limit.toNanos() / 1e6, "to complete within " + limit.toMillis() + " ms");
    }

    /** Every request carried the header (the client sent it), e.g. a propagated trace or idempotency key. */
    public ExchangesAssert allHaveRequestHeader(String name) {
        return allMatch(e -> e.requestHeader(name) != null, "to carry request header " + name);
    }

    public ExchangesAssert allHaveRequestHeader(String name, String value) {
        return allMatch(e -> value.equals(e.requestHeader(name)), "to carry request header " + name + ": " + value);
    }

    /** How many requests a fault (from YAML or the test) answered itself. */
    public ExchangesAssert hasInjectedAborts(int expected) {
        return count(e -> e.fault().abortStatus() > 0, expected, "aborted by a fault");
    }

    public ExchangesAssert hasInjectedDelays(int expected) {
        return count(e -> e.fault().delayMs() > 0, expected, "delayed by a fault");
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

    private List<Calls.Call> calls() {
        isNotEmpty();
        return Calls.of(actual, callKey);
    }

    private ExchangesAssert resilience(String failure) {
        if (failure != null) failWithMessage("%s", failure);
        return this;
    }

    private ExchangesAssert count(Predicate<Exchange> which, int expected, String what) {
        isNotNull();
        List<Exchange> hits = actual.stream().filter(which).toList();
        if (hits.size() != expected) {
            fail("expected %d exchanges %s but there were %d", expected, what, hits.size());
        }
        return this;
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
