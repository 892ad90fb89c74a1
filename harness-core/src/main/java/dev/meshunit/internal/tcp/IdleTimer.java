package dev.meshunit.internal.tcp;

import dev.meshunit.config.TrafficPolicy;
import io.netty.channel.Channel;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * tcp_proxy's idle timeout, Istio's {@code connectionPool.tcp.idleTimeout} (1 h unless set; {@code 0s} turns
 * it off): a connection on which no byte passed either way for that long is closed. One timer per
 * connection on its event loop, re-armed lazily rather than on every read.
 */
final class IdleTimer {
    static final Duration DEFAULT = Duration.ofHours(1);

    private final Channel channel;
    private final long timeoutNanos;
    private final Runnable onIdle;
    private long last = System.nanoTime();
    private ScheduledFuture<?> timer;

    private IdleTimer(Channel channel, long timeoutNanos, Runnable onIdle) {
        this.channel = channel;
        this.timeoutNanos = timeoutNanos;
        this.onIdle = onIdle;
    }

    /** A running timer, or null when the policy turns idle timeouts off. */
    static IdleTimer start(Channel channel, TrafficPolicy policy, Runnable onIdle) {
        Duration d = policy.connectionPool() == null || policy.connectionPool().tcp() == null
                ? null : policy.connectionPool().tcp().idleTimeout();
        if (d == null) d = DEFAULT;
        if (d.isZero() || d.isNegative()) return null;
        IdleTimer t = new IdleTimer(channel, d.toNanos(), onIdle);
        t.arm(t.timeoutNanos);
        return t;
    }

    void touch() {
        last = System.nanoTime();
    }

    void cancel() {
        if (timer != null) timer.cancel(false);
    }

    private void arm(long nanos) {
        timer = channel.eventLoop().schedule(this::check, nanos, TimeUnit.NANOSECONDS);
    }

    private void check() {
        long idleFor = System.nanoTime() - last;
        if (idleFor >= timeoutNanos) {
            onIdle.run();
        } else {
            arm(timeoutNanos - idleFor);
        }
    }
}
