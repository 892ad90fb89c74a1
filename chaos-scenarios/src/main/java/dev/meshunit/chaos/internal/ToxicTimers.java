package dev.meshunit.chaos.internal;

import dev.meshunit.VirtualTime;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Where a server's toxics take their time from: the event loops' timers and {@link System#nanoTime()}, or a
 * test's {@link VirtualTime}, so that a toxic under a sidecar on virtual time moves with the sidecar's own timers.
 */
public interface ToxicTimers {
    ToxicTimers WALL = new ToxicTimers() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public Runnable schedule(EventLoop loop, long delayNanos, Runnable task) {
            ScheduledFuture<?> f = loop.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
            return () -> f.cancel(false);
        }
    };

    /** A monotonic reading in nanoseconds. */
    long nanoTime();

    /** Runs {@code task} on {@code loop} after {@code delayNanos}; the returned action cancels it. */
    Runnable schedule(EventLoop loop, long delayNanos, Runnable task);

    static ToxicTimers on(VirtualTime time) {
        return new ToxicTimers() {
            @Override
            public long nanoTime() {
                return time.elapsed().toNanos();
            }

            @Override
            public Runnable schedule(EventLoop loop, long delayNanos, Runnable task) {
                return time.schedule(loop, Duration.ofNanos(delayNanos), task)::cancel;
            }
        };
    }
}
