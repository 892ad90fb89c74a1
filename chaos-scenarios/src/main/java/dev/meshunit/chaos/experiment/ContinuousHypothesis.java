package dev.meshunit.chaos.experiment;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The hypothesis during the method ({@code during-method-only}, {@code continuously}): checked every {@code freq}
 * seconds on a thread of its own, each state added to {@code steady_states.during}; one that does not hold marks
 * the run deviated, and with {@code runtime.hypothesis.fail_fast} interrupts it.
 */
final class ContinuousHypothesis {
    private final ExperimentRunner runner;
    private final ArrayNode during;
    private final ObjectNode journal;
    private final double freq;
    private final boolean failFast;
    private volatile boolean running = true;
    private Thread thread;

    ContinuousHypothesis(ExperimentRunner runner, ArrayNode during, ObjectNode journal, double freq) {
        this.runner = runner;
        this.during = during;
        this.journal = journal;
        this.freq = Math.max(0.1, freq);
        this.failFast = journal.path("experiment").path("runtime").path("hypothesis").path("fail_fast").asBoolean(false);
    }

    void start() {
        thread = new Thread(this::loop, "meshunit-hypothesis");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        while (running && !runner.stopped()) {
            ObjectNode state = runner.hypothesis("hypothesis-during");
            synchronized (journal) {
                during.add(state);
                if (!state.get("steady_state_met").asBoolean()) journal.put("deviated", true);
            }
            if (!state.get("steady_state_met").asBoolean() && failFast) {
                runner.interrupt();
                return;
            }
            runner.activities().pause(freq);
        }
    }

    void stop() {
        running = false;
        try {
            if (thread != null) thread.join(60_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
