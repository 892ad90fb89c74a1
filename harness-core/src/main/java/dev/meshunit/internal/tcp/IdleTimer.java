package dev.meshunit.internal.tcp;

import dev.meshunit.config.TrafficPolicy;
import io.netty.channel.Channel;
import dev.meshunit.internal.time.Scheduler;
import java.time.Duration;

/**
 * tcp_proxy's idle timeout, Istio's {@code connectionPool.tcp.idleTimeout} (1 h unless set; {@code 0s} turns
 * it off): a connection on which no byte passed either way for that long is closed. One timer per
 * connection on its event loop, re-armed lazily rather than on every read.
 */
final class IdleTimer {
    static final Duration DEFAULT = Duration.ofHours(1);

    private final Scheduler scheduler;
    private final Channel channel;
    private final long timeoutNanos;
    private final Runnable onIdle;
    private long last;
    private Scheduler.Timer timer;

    private IdleTimer(Scheduler scheduler, Channel channel, long timeoutNanos, Runnable onIdle) {
        this.scheduler = scheduler;
        this.channel = channel;
        this.timeoutNanos = timeoutNanos;
        this.onIdle = onIdle;
        this.last = scheduler.nanoTime();
    }

    /** A running timer, or null when the policy turns idle timeouts off. */
    static IdleTimer start(Scheduler scheduler, Channel channel, TrafficPolicy policy, Runnable onIdle) {
        Duration d = policy.connectionPool() == null || policy.connectionPool().tcp() == null
                ? null : policy.connectionPool().tcp().idleTimeout();
        if (d == null) d = DEFAULT;
        if (d.isZero() || d.isNegative()) return null;
        IdleTimer t = new IdleTimer(scheduler, channel, d.toNanos(), onIdle);
        t.arm(t.timeoutNanos);
        return t;
    }

    void touch() {
        last = scheduler.nanoTime();
    }

    void cancel() {
        if (timer != null) timer.cancel();
    }

    private void arm(long nanos) {
        // The scheduler counts in milliseconds: round up, so that the check never comes early.
        timer = scheduler.schedule(channel.eventLoop(), this::check, (nanos + 999_999) / 1_000_000);
    }

    private void check() {
        long idleFor = scheduler.nanoTime() - last;
        if (idleFor >= timeoutNanos) {
            onIdle.run();
        } else {
            arm(timeoutNanos - idleFor);
        }
    }
}
