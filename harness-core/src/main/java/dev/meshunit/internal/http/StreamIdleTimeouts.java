package dev.meshunit.internal.http;

import dev.meshunit.internal.time.DeadlineTimer;
import dev.meshunit.internal.time.Scheduler;
import java.util.ArrayList;
import java.util.concurrent.Executor;

/**
 * The stream idle timeouts of one event loop's streams, HTTP/1.1 and HTTP/2 alike, behind one
 * {@link DeadlineTimer}: a stream starting or ending links or unlinks itself and schedules nothing. The timer's
 * deadline is never later than the earliest stream's (a new stream's deadline is the latest; activity only
 * moves deadlines later), so when it fires it answers the streams that are due, at their exact deadline, and
 * is armed again for the next one. Confined to the event loop.
 */
public final class StreamIdleTimeouts {
    private final Scheduler scheduler;
    private final long timeoutNanos;
    private final DeadlineTimer timer;
    private final ArrayList<StreamIdleFilter> due = new ArrayList<>();
    private StreamIdleFilter first;
    private StreamIdleFilter last;

    public StreamIdleTimeouts(Scheduler scheduler, Executor loop, java.time.Duration timeout) {
        this.scheduler = scheduler;
        this.timeoutNanos = timeout.toNanos();
        this.timer = DeadlineTimer.guard(scheduler, loop, this::sweep);
    }

    Scheduler scheduler() {
        return scheduler;
    }

    long timeoutNanos() {
        return timeoutNanos;
    }

    /** A stream began: its deadline is the timeout from its last activity. */
    void add(StreamIdleFilter f) {
        if (f.linked) return;
        f.linked = true;
        f.prev = last;
        f.next = null;
        if (last == null) first = f; else last.next = f;
        last = f;
        if (!timer.armed()) timer.armAt(f.lastActivity + timeoutNanos);
    }

    void remove(StreamIdleFilter f) {
        if (!f.linked) return;
        f.linked = false;
        if (f.prev == null) first = f.next; else f.prev.next = f.next;
        if (f.next == null) last = f.prev; else f.next.prev = f.prev;
        f.prev = null;
        f.next = null;
        if (first == null) timer.disarm();
    }

    private void sweep() {
        long now = scheduler.nanoTime();
        long soonest = Long.MAX_VALUE;
        for (StreamIdleFilter f = first; f != null; f = f.next) {
            long left = timeoutNanos - (now - f.lastActivity);
            if (left <= 0 || f.streamDone()) {
                due.add(f);
            } else {
                soonest = Math.min(soonest, left);
            }
        }
        if (soonest != Long.MAX_VALUE) timer.armAt(now + soonest);
        // Answering one stream may end others (a reset closes an HTTP/2 connection): each is unlinked first.
        for (int i = 0; i < due.size(); i++) {
            StreamIdleFilter f = due.get(i);
            if (!f.linked) continue;
            remove(f);
            f.onIdle();
        }
        due.clear();
    }
}
