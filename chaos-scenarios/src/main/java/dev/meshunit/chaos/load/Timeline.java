package dev.meshunit.chaos.load;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What happened second by second while a load ran, for the progress line and the report: the load's own
 * {@link Second}s, the response flags MeshUnit counted (from its admin {@code /stats}), the faults in force
 * (its {@code /faults}) and the toxics (its Toxiproxy API), each sampled once a second.
 */
public final class Timeline {
    /**
     * One sample: when it was taken ({@code at}, seconds since the start; once a second, later on a starved machine),
     * the load since the one before, the flags counted since then, and the faults and toxics in force.
     */
    public record Sample(double at, Second load, Map<String, Long> flags, List<String> faults, List<String> toxics) {}

    private final Instant start;
    private final List<Sample> samples = new ArrayList<>();

    public Timeline(Instant start) {
        this.start = start;
    }

    public Instant start() {
        return start;
    }

    synchronized void add(Sample s) {
        samples.add(s);
    }

    public synchronized List<Sample> samples() {
        return List.copyOf(samples);
    }
}
