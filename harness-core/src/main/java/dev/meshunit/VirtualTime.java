package dev.meshunit;

import dev.meshunit.internal.time.Scheduler;
import io.netty.util.concurrent.EventExecutor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Time that stands still until a test moves it, as Envoy's own tests use simulated time. Give it to
 * {@link MeshProxy.Builder#virtualTime}: then every timer of the proxy (fault delays, route and per-try
 * timeouts, retry back-off, connect and idle timeouts, shadow timeouts), outlier detection and the journal's
 * timestamps and durations run on it, and a test asserts exact values without sleeping.
 *
 * <pre>{@code
 * VirtualTime time = VirtualTime.startingAt(Instant.parse("2026-01-01T00:00:00Z"));
 * try (MeshProxy proxy = MeshProxy.builder().config(config).virtualTime(time).start()) {
 *     var answer = client.sendAsync(request, BodyHandlers.ofString());   // the route delays 5 s
 *     time.awaitTimers(1, Duration.ofSeconds(5));                         // the delay is set
 *     time.advance(Duration.ofSeconds(5));                                // and fires now
 *     assertThat(answer.get().statusCode()).isEqualTo(200);
 * }
 * }</pre>
 *
 * {@link #advance} fires the timers that fall due, in order of their deadlines, each on its proxy's event loop,
 * and returns when each has run. Timers with no delay run at once. Thread-safe; one instance may drive
 * several proxies.
 *
 * <p>The downstream guards (request headers timeout, stream idle timeout, connection idle timeout) run on this
 * time too but are counted apart, by {@link #pendingGuardTimers} and {@link #awaitGuardTimers}: every connection
 * and stream has them, so counting them with the others would make a test that waits for its route's timer
 * depend on how many connections its client keeps. A request clears its guards without cancelling their timers
 * (the proxy moves deadlines, as Envoy enables and disables its timers): such a timer stays pending until it
 * falls due, then does nothing or is set again for what is left.
 *
 * <p>Longer than 300 lines because it is one public type as users know it, with its timer queue behind one lock.
 */
public final class VirtualTime {
    private final Instant origin;
    private final Object lock = new Object();
    private final ReentrantLock advancing = new ReentrantLock();
    private final PriorityQueue<Entry> timers = new PriorityQueue<>();
    private long nowNanos;
    private long sequence;
    private int guards;
    private final Clock clock = new Clock() {
        @Override
        public Instant instant() {
            return now();
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("virtual time has one zone");
        }
    };

    private VirtualTime(Instant origin) { this.origin = origin; }

    public static VirtualTime startingAt(Instant start) {
        return new VirtualTime(Objects.requireNonNull(start, "start"));
    }

    /** Virtual time starting at 2026-01-01T00:00:00Z. */
    public static VirtualTime create() {
        return startingAt(Instant.parse("2026-01-01T00:00:00Z"));
    }

    public Instant now() {
        synchronized (lock) {
            return origin.plusNanos(nowNanos);
        }
    }

    /** A clock that reads this time: for timestamps outside a proxy (a toxic server's journal) that must agree with it. */
    public Clock clock() {
        return clock;
    }

    /** How far time has moved since it started. */
    public Duration elapsed() {
        synchronized (lock) {
            return Duration.ofNanos(nowNanos);
        }
    }

    /** Timers set and neither fired nor cancelled, apart from the downstream guards' ({@link #pendingGuardTimers}). */
    public int pendingTimers() {
        synchronized (lock) {
            return timers.size() - guards;
        }
    }

    /** The downstream guards' timers set and neither fired nor cancelled: request headers, stream and connection idle. */
    public int pendingGuardTimers() {
        synchronized (lock) {
            return guards;
        }
    }

    /** The time until the next timer (not counting the downstream guards') falls due, or null when none is set. */
    public Duration nextTimerIn() {
        return next(false);
    }

    /** The time until the next downstream guard's timer falls due, or null when none is set. */
    public Duration nextGuardTimerIn() {
        return next(true);
    }

    private Duration next(boolean guard) {
        synchronized (lock) {
            long next = Long.MAX_VALUE;
            for (Entry e : timers) if (e.guard == guard) next = Math.min(next, e.deadline);
            return next == Long.MAX_VALUE ? null : Duration.ofNanos(Math.max(0, next - nowNanos));
        }
    }

    /**
     * Waits (in real time, at most {@code within}) until at least {@code count} timers are set: the proxy sets
     * its timers on its own threads, so a test that sent a request waits for them before it advances time.
     * Every timer but the downstream guards' counts, an upstream connect timeout too while its connect is under
     * way: after an advance that sends requests upstream, wait for what they lead to (their answers) before
     * counting the timers of the next step, or a connect still in progress makes up the count.
     *
     * @throws IllegalStateException when fewer are set after {@code within}
     */
    public VirtualTime awaitTimers(int count, Duration within) {
        return await(count, within, false);
    }

    /** As {@link #awaitTimers}, for the downstream guards' timers ({@link #pendingGuardTimers}). */
    public VirtualTime awaitGuardTimers(int count, Duration within) {
        return await(count, within, true);
    }

    private VirtualTime await(int count, Duration within, boolean guard) {
        long deadline = System.nanoTime() + within.toNanos();
        synchronized (lock) {
            while ((guard ? guards : timers.size() - guards) < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException("expected " + count + (guard ? " pending guard timer(s)" : " pending timer(s)")
                            + " within " + within + ", found " + (guard ? guards : timers.size() - guards));
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(lock, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for timers", e);
                }
            }
        }
        return this;
    }

    /** Moves time forward by {@code by}, firing every timer that falls due on the way, each at its deadline. */
    public VirtualTime advance(Duration by) {
        if (by.isNegative()) throw new IllegalArgumentException("time cannot go back: " + by);
        advancing.lock();
        try {
            long target;
            synchronized (lock) {
                target = Math.addExact(nowNanos, by.toNanos());
            }
            while (true) {
                Entry next;
                synchronized (lock) {
                    next = timers.peek();
                    if (next == null || next.deadline > target) {
                        nowNanos = target;
                        return this;
                    }
                    timers.poll();
                    if (next.guard) guards--;
                    nowNanos = Math.max(nowNanos, next.deadline);
                }
                fire(next);
            }
        } finally {
            advancing.unlock();
        }
    }

    /** Runs a timer on its event loop and waits for it, so that whatever it schedules is seen by this advance. */
    private static void fire(Entry e) {
        if (e.loop instanceof EventExecutor ex && ex.inEventLoop()) {
            e.run();
            return;
        }
        CountDownLatch ran = new CountDownLatch(1);
        try {
            e.loop.execute(() -> { try { e.run(); } finally { ran.countDown(); } });
            if (!ran.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("a proxy timer did not run within 30 s of real time");
            }
        } catch (RejectedExecutionException closed) {
            // Its proxy is shut down: nothing to run.
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Runs {@code task} on {@code loop} once {@code delay} of this time has passed, in deadline order with the
     * proxies' own timers: for timers outside a proxy that must move with it, such as {@code meshunit-chaos}'s
     * toxics under the sidecar. A delay of zero or less runs the task next.
     */
    public Timer schedule(Executor loop, Duration delay, Runnable task) {
        return at(Objects.requireNonNull(loop, "loop"), Objects.requireNonNull(task, "task"),
                Math.max(0, delay.toNanos()), this, false);
    }

    private Entry at(Executor loop, Runnable task, long nanos, Object owner, boolean guard) {
        Entry e;
        synchronized (lock) {
            e = new Entry(nowNanos + nanos, sequence++, loop, task, owner, guard);
            if (nanos > 0) {
                timers.add(e);
                if (guard) guards++;
                lock.notifyAll();
                return e;
            }
        }
        loop.execute(e::run);
        return e;
    }

    /** A timer set with {@link #schedule}; cancelling one that fired or was cancelled does nothing. */
    public interface Timer {
        void cancel();
    }

    /** A proxy's view: its own timers, dropped when it closes. */
    Scheduler scheduler() { return new ProxyTimers(); }

    private final class Entry implements Comparable<Entry>, Scheduler.Timer, Timer {
        final long deadline;
        final long seq;
        final Executor loop;
        final Runnable task;
        final Object owner;
        final boolean guard;
        volatile boolean cancelled;

        Entry(long deadline, long seq, Executor loop, Runnable task, Object owner, boolean guard) {
            this.deadline = deadline;
            this.seq = seq;
            this.loop = loop;
            this.task = task;
            this.owner = owner;
            this.guard = guard;
        }

        void run() {
            if (!cancelled) task.run();
        }

        @Override
        public void cancel() {
            cancelled = true;
            synchronized (lock) {
                if (timers.remove(this) && guard) guards--;
            }
        }

        @Override
        public int compareTo(Entry o) {
            int c = Long.compare(deadline, o.deadline);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    private final class ProxyTimers implements Scheduler {

        @Override
        public Clock clock() {
            return VirtualTime.this.clock;
        }

        @Override
        public long nanoTime() {
            synchronized (lock) {
                return nowNanos;
            }
        }

        @Override
        public Scheduler.Timer schedule(Executor loop, Runnable task, long delayMillis) {
            return at(loop, task, TimeUnit.MILLISECONDS.toNanos(Math.max(0, delayMillis)), this, false);
        }

        @Override
        public Scheduler.Timer scheduleGuard(Executor loop, Runnable task, long delayMillis) {
            return at(loop, task, TimeUnit.MILLISECONDS.toNanos(Math.max(0, delayMillis)), this, true);
        }

        @Override
        public void close() {
            synchronized (lock) {
                timers.removeIf(e -> {
                    if (e.owner != this) return false;
                    if (e.guard) guards--;
                    return true;
                });
            }
        }
    }
}
