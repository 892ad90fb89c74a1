package dev.meshunit.chaos.load;

import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Once a second (later when the machine is starved; each sample says when it was taken): closes the load's second, samples MeshUnit's admin API, adds both to the {@link Timeline} and
 * prints one line, e.g.
 * {@code [  12s] 50.0 req/s  ok 598  errors 2 (5xx 2)  flags FI 2  p50 3.1 ms  p99 12.4 ms  | ratings-slow}.
 */
public final class Progress implements AutoCloseable {
    private final LoadDriver load;
    private final AdminProbe admin;
    private final PrintStream out;
    private final Supplier<String> phase;
    private final Timeline timeline;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final Thread thread;
    private Map<String, Long> lastFlags = Map.of();
    private int ticks;
    private double lastAt;
    private final long startNanos = System.nanoTime();

    /** {@code load} and {@code admin} may be null; {@code out} null prints nothing. */
    public Progress(LoadDriver load, AdminProbe admin, PrintStream out, Supplier<String> phase) {
        this.load = load;
        this.admin = admin;
        this.out = out;
        this.phase = phase;
        this.timeline = new Timeline(Instant.now());
        if (admin != null) lastFlags = admin.flags();
        this.thread = new Thread(this::loop, "meshunit-progress");
        thread.setDaemon(true);
        thread.start();
    }

    public Timeline timeline() {
        return timeline;
    }

    private void loop() {
        for (int k = 1; ; k++) {
            long wait = startNanos + k * 1_000_000_000L - System.nanoTime();
            try {
                if (wait > 0 && stop.await(wait, TimeUnit.NANOSECONDS)) return;
            } catch (InterruptedException e) {
                return;
            }
            sample(k);
            ticks = k;
        }
    }

    private void sample(int k) {
        Second s = load == null ? null : load.recorder().tick();
        double at = (System.nanoTime() - startNanos) / 1e9;
        double interval = Math.max(0.001, at - lastAt);
        lastAt = at;
        Map<String, Long> flags = new TreeMap<>();
        List<String> faults = List.of();
        List<String> toxics = List.of();
        if (admin != null) {
            Map<String, Long> now = admin.flags();
            now.forEach((f, n) -> {
                long d = n - lastFlags.getOrDefault(f, 0L);
                if (d > 0) flags.put(f, d);
            });
            lastFlags = now;
            faults = admin.faults();
            toxics = admin.toxics();
        }
        timeline.add(new Timeline.Sample(at, s, flags, faults, toxics));
        if (out != null) {
            out.println(line(at, interval, s, flags, phase.get()));
            out.flush();
        }
    }

    /** @param interval the seconds since the line before (1, unless the machine is starved) */
    static String line(double at, double interval, Second s, Map<String, Long> flags, String phase) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "[%4ds]", Math.round(at)));
        if (s != null) {
            long ok = s.outcomes().getOrDefault("2xx", 0L) + s.outcomes().getOrDefault("3xx", 0L);
            b.append(String.format(Locale.ROOT, " %.1f req/s  ok %d  errors %d", s.sent() / interval, ok, s.errors()));
            String kinds = s.outcomes().entrySet().stream().filter(e -> !e.getKey().matches("[23]xx"))
                    .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
            if (!kinds.isEmpty()) b.append(" (").append(kinds).append(')');
            b.append(String.format(Locale.ROOT, "  p50 %.1f ms  p99 %.1f ms", s.p50(), s.p99()));
        }
        if (!flags.isEmpty()) {
            b.append("  flags ").append(flags.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                    .collect(Collectors.joining(", ")));
        }
        if (phase != null && !phase.isEmpty()) b.append("  | ").append(phase);
        return b.toString();
    }

    /** Stops the line and takes a last, partial second, so that nothing recorded is left out. */
    @Override
    public void close() {
        stop.countDown();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sample(ticks + 1);
    }
}
