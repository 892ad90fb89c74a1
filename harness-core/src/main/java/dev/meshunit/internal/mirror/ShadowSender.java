package dev.meshunit.internal.mirror;

import dev.meshunit.internal.time.Scheduler;
import dev.meshunit.journal.JournalWriter;
import dev.meshunit.journal.ShadowExchange;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the shadow copies of one proxy share: their bounds, the count of copies under way, the journal they
 * go to and the proxy's time. Thread-safe.
 */
public final class ShadowSender {
    final MirrorOptions options;
    final JournalWriter journal;
    final Scheduler scheduler;
    private final AtomicInteger inFlight = new AtomicInteger();

    public ShadowSender(MirrorOptions options, JournalWriter journal, Scheduler scheduler) {
        this.options = options;
        this.journal = journal;
        this.scheduler = scheduler;
    }

    /** Takes a slot for one more copy, or says there is none. */
    boolean tryAcquire() {
        if (inFlight.incrementAndGet() <= options.maxInFlight()) return true;
        inFlight.decrementAndGet();
        return false;
    }

    void release() {
        inFlight.decrementAndGet();
    }

    public int inFlight() {
        return inFlight.get();
    }

    void record(ShadowExchange shadow) {
        journal.recordShadow(shadow);
    }
}
