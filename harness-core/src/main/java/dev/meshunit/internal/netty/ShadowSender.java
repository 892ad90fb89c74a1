package dev.meshunit.internal.netty;

import dev.meshunit.journal.Journal;
import dev.meshunit.journal.ShadowExchange;
import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.ImmediateEventExecutor;
import dev.meshunit.internal.time.Scheduler;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the shadow copies of one proxy share: their bounds, the count of copies under way, and their
 * connections, which are never pooled with the primaries' and are closed with the proxy. Thread-safe.
 */
final class ShadowSender {
    final MirrorOptions options;
    final Journal journal;
    final Scheduler scheduler;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final ChannelGroup channels = new DefaultChannelGroup("shadows", ImmediateEventExecutor.INSTANCE);

    ShadowSender(MirrorOptions options, Journal journal, Scheduler scheduler) {
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

    int inFlight() {
        return inFlight.get();
    }

    void track(Channel ch) {
        channels.add(ch);
    }

    void record(ShadowExchange shadow) {
        journal.shadows().record(shadow);
    }

    void closeAll() {
        channels.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
    }
}
