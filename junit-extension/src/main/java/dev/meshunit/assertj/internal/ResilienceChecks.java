package dev.meshunit.assertj.internal;

import dev.meshunit.assertj.internal.Calls.Call;
import dev.meshunit.journal.Exchange;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Gremlin-style checks of the caller's resilience, read from the exchanges the proxy saw. Each returns null when
 * the caller behaved, else the failure message with the exchanges that prove it as a table.
 */
public final class ResilienceChecks {
    private ResilienceChecks() {}

    public static String boundedRetries(List<Call> calls, int maxRetries) {
        for (Call c : calls) {
            if (c.retries() > maxRetries) {
                return "expected every call to be retried at most " + maxRetries + " times but call " + c.key()
                        + " was retried " + c.retries() + " times:\n" + ExchangeTable.render(c.requests());
            }
        }
        return null;
    }

    /** Between the end of one answer and the next request of the same call, the client waited at least {@code min}. */
    public static String backoff(List<Call> calls, Duration min) {
        List<Call> retried = calls.stream().filter(c -> c.requests().size() > 1).toList();
        if (retried.isEmpty()) {
            List<Exchange> all = calls.stream().flatMap(c -> c.requests().stream()).toList();
            return "expected the client to retry with a back-off of at least " + ms(min)
                    + " but it never sent a call twice (" + calls.size() + " calls):\n" + ExchangeTable.render(Calls.byStart(all));
        }
        for (Call c : retried) {
            for (int i = 1; i < c.requests().size(); i++) {
                Exchange prev = c.requests().get(i - 1);
                Exchange next = c.requests().get(i);
                Duration gap = Duration.between(Calls.end(prev), next.start());
                if (gap.compareTo(min) < 0) {
                    return "expected a back-off of at least " + ms(min) + " between the tries of a call but call "
                            + c.key() + " was retried " + ms(gap) + " after exchange " + prev.id() + " ended (exchange "
                            + next.id() + "):\n" + ExchangeTable.render(c.requests());
                }
            }
        }
        return null;
    }

    /** Every request ended within {@code limit}, or the client moved on to its next try of the call within it. */
    public static String gaveUpWithin(List<Call> calls, Duration limit) {
        List<Exchange> late = new ArrayList<>();
        for (Call c : calls) {
            for (int i = 0; i < c.requests().size(); i++) {
                Exchange e = c.requests().get(i);
                if (e.durationMs() <= limit.toNanos() / 1e6) continue;
                boolean movedOn = i + 1 < c.requests().size()
                        && !c.requests().get(i + 1).start().isAfter(e.start().plus(limit));
                if (!movedOn) late.add(e);
            }
        }
        if (late.isEmpty()) return null;
        return "expected the client to give up on a request within " + ms(limit) + " but it waited longer for "
                + late.size() + " (flag DC marks a request the client abandoned):\n" + ExchangeTable.render(late);
    }

    /**
     * After {@code failures} consecutive failures (5xx or no answer), the next request came no sooner than
     * {@code pause} after the last of them ended: a circuit breaker opened.
     */
    public static String stoppedCallingAfter(List<Exchange> exchanges, int failures, Duration pause) {
        List<Exchange> sorted = Calls.byStart(exchanges);
        int run = 0;
        boolean tripped = false;
        for (int i = 0; i < sorted.size(); i++) {
            if (Calls.succeeded(sorted.get(i)) || sorted.get(i).status() == 429) {
                run = 0;
                continue;
            }
            if (++run != failures) continue;
            tripped = true;
            Instant opened = Calls.end(sorted.get(i));
            List<Exchange> tooSoon = sorted.subList(i + 1, sorted.size()).stream()
                    .filter(e -> e.start().isBefore(opened.plus(pause))).toList();
            if (!tooSoon.isEmpty()) {
                List<Exchange> proof = new ArrayList<>(sorted.subList(i + 1 - failures, i + 1));
                proof.addAll(tooSoon);
                return "expected no request for " + ms(pause) + " after " + failures + " consecutive failures (up to exchange "
                        + sorted.get(i).id() + ") but the client sent " + tooSoon.size() + " more, the first "
                        + ms(Duration.between(opened, tooSoon.get(0).start())) + " later:\n" + ExchangeTable.render(proof);
            }
        }
        if (tripped) return null;
        return "expected " + failures + " consecutive failures to trip a circuit breaker but there never were "
                + failures + " in a row:\n" + ExchangeTable.render(sorted);
    }

    /** At no instant were more than {@code max} requests in flight (intervals from start to end of each exchange). */
    public static String concurrency(List<Exchange> exchanges, int max) {
        List<Exchange> sorted = Calls.byStart(exchanges);
        List<Exchange> peak = List.of();
        for (Exchange e : sorted) {
            List<Exchange> inFlight = sorted.stream()
                    .filter(o -> !o.start().isAfter(e.start()) && Calls.end(o).isAfter(e.start())).toList();
            if (inFlight.size() > peak.size()) peak = inFlight;
        }
        if (peak.size() <= max) return null;
        return "expected at most " + max + " requests in flight at once but " + peak.size()
                + " were when exchange " + peak.get(peak.size() - 1).id() + " started:\n" + ExchangeTable.render(peak);
    }

    static String ms(Duration d) {
        return String.format(Locale.ROOT, "%.1f ms", d.toNanos() / 1e6);
    }
}
