package dev.meshunit.chaos.experiment;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Runs an experiment with Chaos Toolkit's semantics and writes its journal in Chaos Toolkit's shape: the
 * steady-state hypothesis before the method (when it does not hold, nothing is injected), the method (actions and
 * probes; background activities in parallel), the hypothesis again after the method (when it does not hold the
 * run has {@code deviated}), then the rollbacks as the strategy says (MeshUnit's default: always). Statuses:
 * {@code completed}, {@code failed} (a hypothesis probe could not run), {@code aborted}, {@code interrupted}.
 */
public final class ExperimentRunner {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Experiment experiment;
    private final PrintStream log;
    private final RunListener listener;
    private final String version;
    private final CountDownLatch interrupted = new CountDownLatch(1);
    private final Activities activities;
    private volatile boolean stop;

    public ExperimentRunner(Experiment experiment, PrintStream log, RunListener listener, String version) {
        this.experiment = experiment;
        this.log = log;
        this.listener = listener;
        this.version = version;
        this.activities = new Activities(interrupted, log);
    }

    /** Stops the run at the next activity or pause; rollbacks still run when the strategy says always. */
    public void interrupt() {
        stop = true;
        interrupted.countDown();
    }

    public ObjectNode run() {
        Instant started = Instant.now();
        ObjectNode journal = JSON.createObjectNode();
        journal.put("chaoslib-version", "meshunit " + version);
        journal.put("platform", System.getProperty("os.name") + "-" + System.getProperty("os.version") + "-" + System.getProperty("os.arch"));
        journal.put("node", node());
        journal.set("experiment", experiment.raw().deepCopy());
        journal.put("start", Activities.iso(started));
        journal.putNull("status");
        journal.put("deviated", false);
        ObjectNode states = journal.putObject("steady_states");
        states.putNull("before");
        states.putNull("after");
        ArrayNode during = states.putArray("during");
        ArrayNode method = journal.putArray("run");
        ArrayNode rollbacks = journal.putArray("rollbacks");
        log.println("meshunit run: " + experiment.title());
        Experiment.HypothesisStrategy strategy = experiment.hypothesisStrategy();
        boolean withHypothesis = experiment.hypothesis() != null && !experiment.hypothesis().probes().isEmpty();
        boolean go = true;
        if (withHypothesis && strategy.before()) {
            ObjectNode before = hypothesis("hypothesis-before");
            states.set("before", before);
            if (!before.get("steady_state_met").asBoolean()) {
                journal.put("status", anyFailed(before) ? "failed" : "completed");
                log.println("meshunit run: the steady state does not hold before the method: nothing was injected");
                go = false;
            }
        }
        if (go && !stop) {
            ContinuousHypothesis continuous = withHypothesis && strategy.during()
                    ? new ContinuousHypothesis(this, during, journal, experiment.hypothesisFrequencySeconds()) : null;
            if (continuous != null) continuous.start();
            try {
                runAll(experiment.method(), method, "method");
            } catch (RuntimeException e) {
                journal.put("status", "aborted");
                log.println("meshunit run: aborted: " + e);
            } finally {
                if (continuous != null) continuous.stop();
            }
            if (stop) journal.put("status", "interrupted");
            if (withHypothesis && strategy.after() && !journal.path("status").asText().matches("aborted|interrupted")) {
                ObjectNode after = hypothesis("hypothesis-after");
                states.set("after", after);
                if (!after.get("steady_state_met").asBoolean()) {
                    journal.put("deviated", true);
                    journal.put("status", anyFailed(after) ? "failed" : "completed");
                    log.println("meshunit run: the steady state deviated: a weakness may have been found");
                }
            }
        }
        if (stop) journal.put("status", "interrupted");
        if (playRollbacks(journal)) runAll(experiment.rollbacks(), rollbacks, "rollbacks");
        Instant ended = Instant.now();
        journal.put("end", Activities.iso(ended));
        journal.put("duration", (ended.toEpochMilli() - started.toEpochMilli()) / 1000.0);
        if (!journal.path("status").asText().matches("completed|failed|aborted|interrupted")) journal.put("status", "completed");
        log.println("meshunit run: ended with status " + (journal.get("deviated").asBoolean() ? "deviated" : journal.get("status").asText()));
        return journal;
    }

    private boolean playRollbacks(ObjectNode journal) {
        String status = journal.path("status").asText();
        return switch (experiment.rollbackStrategy()) {
            case ALWAYS -> true;
            case NEVER -> false;
            case DEFAULT -> !status.equals("failed") && !status.equals("interrupted");
            case DEVIATED -> journal.get("deviated").asBoolean();
        };
    }

    private void runAll(List<Activity> list, ArrayNode into, String part) {
        ExecutorService background = null;
        List<Future<?>> pending = new ArrayList<>();
        for (Activity a : list) {
            if (stop && part.equals("method")) break;
            String kind = part.equals("rollbacks") ? "rollback" : a.type();
            listener.started(kind, a.name());
            if (a.background()) {
                if (background == null) background = Executors.newCachedThreadPool();
                ObjectNode slot = into.addObject();
                pending.add(background.submit(() -> record(a, kind, slot)));
            } else {
                record(a, kind, into.addObject());
            }
        }
        for (Future<?> f : pending) {
            try {
                f.get();
            } catch (Exception e) {
                throw new IllegalStateException("background activity: " + e, e);
            }
        }
        if (background != null) {
            background.shutdown();
            try {
                background.awaitTermination(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void record(Activity a, String kind, ObjectNode slot) {
        log.println("meshunit run: " + kind + ": " + a.name());
        Activities.Done done = activities.execute(a);
        synchronized (slot) {
            slot.setAll(done.run());
        }
        listener.phase(kind, a.name(), done.spanStart(), done.spanEnd(), done.succeeded());
    }

    /** Runs every probe until one fails or is out of tolerance, as Chaos Toolkit does. */
    ObjectNode hypothesis(String kind) {
        Instant start = Instant.now();
        Experiment.Hypothesis h = experiment.hypothesis();
        ObjectNode state = JSON.createObjectNode();
        state.putNull("steady_state_met");
        ArrayNode probes = state.putArray("probes");
        log.println("meshunit run: steady-state hypothesis (" + kind.substring("hypothesis-".length()) + "): " + h.title());
        boolean met = true;
        for (Activity p : h.probes()) {
            Activities.Done done = activities.execute(p);
            ObjectNode run = done.run();
            probes.add(run);
            boolean ok = done.succeeded() && Tolerances.within(p.tolerance(), run.get("output"));
            run.put("tolerance_met", ok);
            log.println("meshunit run:   probe " + p.name() + ": " + (ok ? "within tolerance" : done.succeeded()
                    ? "NOT within tolerance " + p.tolerance() + " (got " + brief(run) + ")" : "failed"));
            if (!ok) {
                met = false;
                break;
            }
        }
        state.put("steady_state_met", met);
        listener.phase(kind, h.title(), start, Instant.now(), met);
        return state;
    }

    private static String brief(ObjectNode run) {
        var o = run.path("output");
        String s = !o.has("status") ? o.toString()
                : "status " + o.get("status") + (o.has("stdout") ? ", stdout " + o.get("stdout") : ", body " + o.path("body"));
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    private static boolean anyFailed(ObjectNode state) {
        for (var p : state.path("probes")) if (!p.path("status").asText().equals("succeeded")) return true;
        return false;
    }

    Activities activities() {
        return activities;
    }

    boolean stopped() {
        return stop;
    }

    private static String node() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
