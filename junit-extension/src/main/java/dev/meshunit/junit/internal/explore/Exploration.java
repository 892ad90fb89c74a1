package dev.meshunit.junit.internal.explore;

import dev.meshunit.junit.ExploredFault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * One exploration of one test method, Filibuster's way: the run without faults records the calls; every finished run
 * with fewer than {@code maxFaults} faults adds, for each call it made that it does not fault yet, one run per fault
 * with that fault added. Calls a run did not make are not explored under its faults. Runs are taken in order while
 * they fit under the cap; once the runs waiting outnumber the runs left, a seeded draw picks the next one.
 * Not thread-safe: the runs of an exploration run one after another.
 */
public final class Exploration {
    /** How a run ended; {@code timeline} is where its timeline was attached, if it was. */
    public record Result(int number, Combination combination, Outcome outcome, List<ExploredCall> calls, Path timeline) {}

    public enum Outcome { PASSED, FAILED, FAILED_AS_EXPECTED }

    private final List<ExploredFault> faults;
    private final Duration delay;
    private final int maxInvocations;
    private final int maxFaults;
    private final Random random;
    private final List<ExpectedFailure> expected;
    private final String callKey;
    private final List<Combination> waiting = new ArrayList<>();
    private final Set<Combination> scheduled = new HashSet<>();
    private final List<Result> results = new ArrayList<>();
    private final LinkedHashSet<ExploredCall> unexplored = new LinkedHashSet<>();
    private Combination running;
    private int started;

    /** @param callKey the header that names a call, or null for service and path */
    public Exploration(List<ExploredFault> faults, Duration delay, int maxInvocations, int maxFaults, long seed,
            List<ExpectedFailure> expected, String callKey) {
        this.callKey = callKey;
        this.faults = List.copyOf(faults);
        this.delay = delay;
        this.maxInvocations = maxInvocations;
        this.maxFaults = maxFaults;
        this.random = new Random(seed);
        this.expected = List.copyOf(expected);
        waiting.add(Combination.NONE);
        scheduled.add(Combination.NONE);
    }

    /** The next run, or empty when every combination ran or the cap is reached. */
    public Optional<Combination> next() {
        if (running != null) {
            throw new IllegalStateException("run " + started + " (" + running.describe(delay) + ") has not finished;"
                    + " the runs of @ExploreFaults must run one after another");
        }
        if (waiting.isEmpty() || started >= maxInvocations) return Optional.empty();
        int left = maxInvocations - started;
        running = waiting.remove(waiting.size() > left ? random.nextInt(waiting.size()) : 0);
        started++;
        return Optional.of(running);
    }

    public int number() {
        return started;
    }

    public boolean expectsFailure(Combination c) {
        return ExpectedFailure.anyCovers(expected, c);
    }

    /** Records how the running combination ended and what it called, and schedules what that opens up. */
    public void finished(Outcome outcome, List<ExploredCall> calls, Path timeline) {
        Combination c = running;
        running = null;
        results.add(new Result(started, c, outcome, calls, timeline));
        // A test that fails without faults says nothing about faults: fix it first.
        if (c.isBaseline() && outcome == Outcome.FAILED) return;
        for (ExploredCall call : calls) {
            if (c.faults(call)) continue;
            if (c.injections().size() >= maxFaults) {
                if (!c.isBaseline() && !baselineCalled(call)) unexplored.add(call);
                continue;
            }
            for (ExploredFault f : faults) {
                Combination next = c.plus(new Combination.Injection(call, f));
                if (scheduled.stream().noneMatch(s -> sameFaults(s, next))) {
                    scheduled.add(next);
                    waiting.add(next);
                }
            }
        }
    }

    private boolean baselineCalled(ExploredCall call) {
        return !results.isEmpty() && results.get(0).calls().stream().anyMatch(call::sameAs);
    }

    /** Two combinations with the same faults on the same calls, in any order, are one run. */
    private static boolean sameFaults(Combination a, Combination b) {
        if (a.injections().size() != b.injections().size()) return false;
        return a.injections().stream().allMatch(i -> b.injections().stream()
                .anyMatch(j -> j.fault() == i.fault() && j.call().sameAs(i.call())));
    }

    /** Whether the run without faults failed, so nothing was explored. */
    public boolean baselineFailed() {
        return !results.isEmpty() && results.get(0).combination().isBaseline() && results.get(0).outcome() == Outcome.FAILED;
    }

    public List<Result> results() {
        return List.copyOf(results);
    }

    /** Combinations that were due but not run because of the cap. */
    public List<Combination> notRun() {
        return List.copyOf(waiting);
    }

    /** Calls seen only under faults and given no fault in any run: a run may not combine more faults. */
    public List<ExploredCall> unexplored() {
        return unexplored.stream().filter(call -> scheduled.stream().noneMatch(c -> c.faults(call))).toList();
    }

    public List<ExploredFault> faults() {
        return faults;
    }

    public Duration delay() {
        return delay;
    }

    public int maxInvocations() {
        return maxInvocations;
    }

    public String callKey() {
        return callKey;
    }
}
