package dev.meshunit.internal.time;

import java.time.Clock;
import java.util.concurrent.Executor;

/** For tests: a scheduler that counts the timers set and cancelled through it. */
public final class CountingScheduler implements Scheduler {
    private final Scheduler delegate;
    public int scheduled;
    public int cancelled;

    public CountingScheduler(Scheduler delegate) {
        this.delegate = delegate;
    }

    @Override
    public Clock clock() {
        return delegate.clock();
    }

    @Override
    public long nanoTime() {
        return delegate.nanoTime();
    }

    @Override
    public Timer schedule(Executor loop, Runnable task, long delayMillis) {
        return counted(delegate.schedule(loop, task, delayMillis));
    }

    @Override
    public Timer scheduleGuard(Executor loop, Runnable task, long delayMillis) {
        return counted(delegate.scheduleGuard(loop, task, delayMillis));
    }

    private Timer counted(Timer t) {
        scheduled++;
        return () -> {
            cancelled++;
            t.cancel();
        };
    }
}
