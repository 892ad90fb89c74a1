package dev.meshunit.internal.netty;

import dev.meshunit.downstream.DownstreamLimits;
import dev.meshunit.internal.http.DownstreamCounters;
import dev.meshunit.internal.time.Scheduler;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the downstream connections of one proxy share for their limits: the limits, the counters, the connections
 * open now, and the bytes that unfinished request heads hold, against their budget.
 */
final class DownstreamSide {
    final DownstreamLimits limits;
    final DownstreamCounters counters;
    final Scheduler scheduler;
    final AtomicInteger open = new AtomicInteger();
    private final AtomicLong pendingHeadBytes = new AtomicLong();
    private final long headBudget;

    DownstreamSide(ProxyRuntime runtime) {
        this.limits = runtime.downstreamLimits();
        this.counters = runtime.downstreamCounters();
        this.scheduler = runtime.scheduler();
        this.headBudget = limits.pendingHeadBudget();
    }

    /** Adds {@code delta} bytes held by unfinished heads; false when that goes past the budget. */
    boolean holdHeadBytes(long delta) {
        return pendingHeadBytes.addAndGet(delta) <= headBudget || delta <= 0;
    }

    long pendingHeadBytes() {
        return pendingHeadBytes.get();
    }
}
