package dev.meshunit.internal.time;

import java.time.Clock;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Real time: timers on the event loops' own schedulers, instants from the given clock (the system clock
 * unless the builder was given another), durations from {@link System#nanoTime()}.
 */
public final class WallScheduler implements Scheduler {
    private final Clock clock;

    public WallScheduler(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public Timer schedule(Executor loop, Runnable task, long delayMillis) {
        // Every executor a proxy schedules on is one of its Netty event loops, which are scheduled executors.
        ScheduledFuture<?> f = ((ScheduledExecutorService) loop).schedule(task, Math.max(0, delayMillis), TimeUnit.MILLISECONDS);
        return () -> f.cancel(false);
    }
}
