package dev.meshunit.junit.internal;

import dev.meshunit.assertj.internal.ExchangeTable;
import dev.meshunit.journal.Exchange;
import dev.meshunit.journal.Journal;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Waits for the journal to satisfy a condition. The journal's listener wakes the wait as each exchange is
 * recorded; Awaitility only keeps time and reports. Polls in the caller's thread: no thread is left behind.
 */
public final class JournalWaiter {
    /** The longest a check sleeps when no exchange arrives; a safety net, not the way it is woken. */
    private static final long IDLE_MS = 200;

    private JournalWaiter() {}

    public static List<Exchange> await(Journal journal, Supplier<List<Exchange>> exchanges,
            Predicate<List<Exchange>> done, String what, Duration timeout) {
        Semaphore recorded = new Semaphore(0);
        Runnable unsubscribe = journal.onRecord(e -> recorded.release());
        try {
            return Awaitility.await(what).pollInSameThread().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1))
                    .atMost(timeout).until(() -> {
                        recorded.drainPermits();
                        List<Exchange> now = exchanges.get();
                        if (done.test(now)) return now;
                        recorded.tryAcquire(IDLE_MS, TimeUnit.MILLISECONDS);
                        return null;
                    }, now -> now != null);
        } catch (ConditionTimeoutException e) {
            List<Exchange> now = exchanges.get();
            throw new AssertionError("waited " + timeout.toMillis() + " ms for " + what + " but the proxy recorded "
                    + now.size() + ":\n" + ExchangeTable.render(now), e);
        } finally {
            unsubscribe.run();
        }
    }
}
