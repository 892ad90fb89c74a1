package dev.meshunit.internal.time;

import java.util.concurrent.Executor;

/**
 * A timer that is armed and disarmed far more often than it fires, as Envoy enables and disables its timers:
 * request headers, idle and stream idle timeouts are set and cleared by every request and almost never reached.
 * Arming and disarming only move a deadline; the scheduler is asked again only when an underlying timer fires
 * before the deadline (it is re-set for the remainder) or when a deadline is set earlier than the pending fire.
 * So a keep-alive connection costs one scheduled timer per timeout period, not one per request, and the action
 * still runs at the exact deadline, in the scheduler's own (possibly virtual) time.
 *
 * <p>Confined to one event loop; the action is created once by the owner and run on that loop.
 */
public final class DeadlineTimer {
    private static final long NONE = Long.MIN_VALUE;
    /** Past about 146 years a delay is as good as forever; nanosecond sums stay clear of overflow. */
    private static final long MAX_MILLIS = Long.MAX_VALUE / 2 / 1_000_000L;

    private final Scheduler scheduler;
    private final Executor loop;
    private final boolean guard;
    private final Runnable action;
    private final Runnable onFire = this::fire;
    private boolean armed;
    private long deadline;
    /** The underlying timer set and not yet fired, and when it fires ({@link #NONE} when there is none). */
    private Scheduler.Timer pending;
    private long pendingAt = NONE;

    private DeadlineTimer(Scheduler scheduler, Executor loop, boolean guard, Runnable action) {
        this.scheduler = scheduler;
        this.loop = loop;
        this.guard = guard;
        this.action = action;
    }

    /** A timer of a downstream guard, set with {@link Scheduler#scheduleGuard} so that virtual time counts it apart. */
    public static DeadlineTimer guard(Scheduler scheduler, Executor loop, Runnable action) {
        return new DeadlineTimer(scheduler, loop, true, action);
    }

    /** A timer set with {@link Scheduler#schedule}. */
    public static DeadlineTimer of(Scheduler scheduler, Executor loop, Runnable action) {
        return new DeadlineTimer(scheduler, loop, false, action);
    }

    /** Runs the action once {@code delayMillis} have passed from now, replacing any deadline set before. */
    public void arm(long delayMillis) {
        armAt(scheduler.nanoTime() + Math.min(Math.max(0, delayMillis), MAX_MILLIS) * 1_000_000L);
    }

    /** Runs the action at {@code deadlineNanos} of {@link Scheduler#nanoTime()}, replacing any deadline set before. */
    public void armAt(long deadlineNanos) {
        armed = true;
        deadline = deadlineNanos;
        if (pending != null && pendingAt - deadlineNanos <= 0) return; // it fires first and sets the remainder
        if (pending != null) pending.cancel();
        schedule(scheduler.nanoTime());
    }

    /** The action will not run unless armed again; the scheduler is not touched. */
    public void disarm() {
        armed = false;
    }

    public boolean armed() {
        return armed;
    }

    /** Disarms and drops the underlying timer too: the owner is gone, and the scheduler need not keep it. */
    public void cancel() {
        armed = false;
        if (pending != null) pending.cancel();
        pending = null;
        pendingAt = NONE;
    }

    private void schedule(long now) {
        long left = Math.max(0, deadline - now);
        long millis = (left + 999_999) / 1_000_000;
        pendingAt = now + millis * 1_000_000L;
        pending = guard ? scheduler.scheduleGuard(loop, onFire, millis) : scheduler.schedule(loop, onFire, millis);
    }

    private void fire() {
        pending = null;
        pendingAt = NONE;
        if (!armed) return;
        long now = scheduler.nanoTime();
        if (now - deadline < 0) {
            schedule(now);
            return;
        }
        armed = false;
        action.run();
    }
}
