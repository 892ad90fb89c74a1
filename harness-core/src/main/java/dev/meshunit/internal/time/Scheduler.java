package dev.meshunit.internal.time;

import java.time.Clock;
import java.util.concurrent.Executor;

/**
 * Where one proxy's time comes from: every timer it sets (fault delays, route and per-try timeouts, back-off,
 * connect and idle timeouts, shadow timeouts), the instants the journal records and outlier detection reads,
 * and the monotonic readings durations are measured with. By default the event loops and the wall clock
 * ({@link WallScheduler}); a test may drive it by hand ({@code dev.meshunit.VirtualTime}).
 */
public interface Scheduler {
    /** Instants for the journal and for outlier detection's ejections and sweeps. */
    Clock clock();

    /** A monotonic reading in nanoseconds, for durations. */
    long nanoTime();

    /** Runs {@code task} on {@code loop} once {@code delayMillis} have passed; a delay of 0 or less runs it next. */
    Timer schedule(Executor loop, Runnable task, long delayMillis);

    /**
     * A timer of a downstream guard (request headers, stream idle, connection idle timeouts): like
     * {@link #schedule}, but virtual time counts these apart, since every connection and stream sets them.
     */
    default Timer scheduleGuard(Executor loop, Runnable task, long delayMillis) {
        return schedule(loop, task, delayMillis);
    }

    /** The proxy is closing: timers it left need not run. */
    default void close() {}

    /** A timer that has not fired yet may be cancelled; cancelling a fired or cancelled one does nothing. */
    interface Timer {
        void cancel();
    }

    /** The timers of one event loop, as a stream or an attempt sees them. */
    default Timers on(Executor loop) {
        return new Timers() {
            @Override
            public Timer schedule(Runnable task, long delayMillis) {
                return Scheduler.this.schedule(loop, task, delayMillis);
            }

            @Override
            public Timer scheduleGuard(Runnable task, long delayMillis) {
                return Scheduler.this.scheduleGuard(loop, task, delayMillis);
            }
        };
    }

    /** Timers bound to one event loop. */
    @FunctionalInterface
    interface Timers {
        Timer schedule(Runnable task, long delayMillis);

        /** A downstream guard's timer ({@link Scheduler#scheduleGuard}). */
        default Timer scheduleGuard(Runnable task, long delayMillis) {
            return schedule(task, delayMillis);
        }
    }
}
