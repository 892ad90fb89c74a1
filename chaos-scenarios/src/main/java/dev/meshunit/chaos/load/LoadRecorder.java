package dev.meshunit.chaos.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Latencies and outcomes of a load, thread-safe: HdrHistogram's {@link Recorder} takes each latency (in
 * microseconds, 1 µs to 1 h, 3 digits) without locking the senders, and {@link #tick} closes one second.
 */
public final class LoadRecorder {
    private static final long MAX_MICROS = 3_600_000_000L;
    private final Recorder interval = new Recorder(MAX_MICROS, 3);
    private final Histogram total = new Histogram(MAX_MICROS, 3);
    private final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
    private final Map<String, Long> outcomesAtLastTick = new TreeMap<>();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong completed = new AtomicLong();
    private long sentAtLastTick;
    private long completedAtLastTick;
    private final List<Second> seconds = new ArrayList<>();
    private Histogram reuse;

    void due() {
        sent.incrementAndGet();
    }

    /** A request that ended: its outcome and the time from when it was due to its end. */
    void ended(String outcome, long latencyNanos) {
        outcomes.computeIfAbsent(outcome, k -> new LongAdder()).increment();
        if (!outcome.equals("overflow")) {
            interval.recordValue(Math.max(1, Math.min(MAX_MICROS, latencyNanos / 1000)));
            completed.incrementAndGet();
        }
    }

    /** Closes the second that just ended; called once a second by one thread. */
    public synchronized Second tick() {
        reuse = interval.getIntervalHistogram(reuse);
        total.add(reuse);
        Map<String, Long> now = snapshot();
        Map<String, Long> delta = new TreeMap<>();
        now.forEach((k, v) -> {
            long d = v - outcomesAtLastTick.getOrDefault(k, 0L);
            if (d > 0) delta.put(k, d);
        });
        outcomesAtLastTick.clear();
        outcomesAtLastTick.putAll(now);
        long s = sent.get();
        long c = completed.get();
        Second second = new Second(seconds.size() + 1, s - sentAtLastTick, c - completedAtLastTick, delta,
                ms(reuse, 50), ms(reuse, 90), ms(reuse, 99), reuse.getTotalCount() == 0 ? 0 : reuse.getMaxValue() / 1000.0);
        sentAtLastTick = s;
        completedAtLastTick = c;
        seconds.add(second);
        return second;
    }

    public synchronized List<Second> seconds() {
        return List.copyOf(seconds);
    }

    /** Every outcome so far, by name. */
    public Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        outcomes.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    /** The whole run's latency percentile in ms (over the seconds ticked so far). */
    public synchronized double percentile(double p) {
        return ms(total, p);
    }

    public synchronized long totalCount() {
        return total.getTotalCount();
    }

    public long sent() {
        return sent.get();
    }

    private static double ms(Histogram h, double p) {
        return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(p) / 1000.0;
    }
}
