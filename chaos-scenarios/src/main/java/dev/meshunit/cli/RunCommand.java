package dev.meshunit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshunit.chaos.experiment.Experiment;
import dev.meshunit.chaos.experiment.ExperimentException;
import dev.meshunit.chaos.experiment.ExperimentReader;
import dev.meshunit.chaos.experiment.ExperimentRunner;
import dev.meshunit.chaos.experiment.RunListener;
import dev.meshunit.chaos.load.AdminProbe;
import dev.meshunit.chaos.load.LoadDriver;
import dev.meshunit.chaos.load.LoadSpec;
import dev.meshunit.chaos.load.Progress;
import dev.meshunit.chaos.report.HtmlReport;
import dev.meshunit.chaos.report.ReportData;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * {@code meshunit run EXPERIMENT}: a Chaos Toolkit experiment, with MeshUnit's extension block for load, progress
 * and report; writes the Chaos Toolkit journal, the HTML report and its JSON. Exit codes: 0 the hypothesis held,
 * 1 it did not (deviated, or not met before the method) or a hypothesis probe failed, 2 an invalid experiment or
 * usage, 3 aborted or interrupted.
 */
final class RunCommand {
    static final int DEVIATED = 1;
    static final int ABORTED = 3;
    static final Set<String> VALUED = Set.of("--journal-path", "--report", "--var", "--rollback-strategy",
            "--hypothesis-strategy", "--hypothesis-frequency", "--admin", "--toxiproxy");
    static final Set<String> SWITCHES = Set.of("--no-report", "--no-load", "--quiet");

    private RunCommand() {}

    static int run(List<String> args, PrintStream out, PrintStream err, CountDownLatch stop) throws UsageException {
        if (args.isEmpty()) throw new UsageException("run needs an experiment file, or --scenario NAME: meshunit run EXPERIMENT [options]");
        boolean scenario = args.get(0).equals("--scenario");
        if (!scenario && args.get(0).startsWith("--")) throw new UsageException("run needs the experiment file first: meshunit run EXPERIMENT [options]");
        if (scenario && args.size() < 2) throw new UsageException("--scenario needs a name (meshunit scenarios lists them)");
        Path file = scenario ? null : Path.of(args.get(0));
        if (!scenario && !Files.isRegularFile(file)) throw new UsageException("run " + file + ": no such file");
        java.util.Set<String> valued = new java.util.HashSet<>(VALUED);
        if (scenario) valued.addAll(ScenariosCommand.VALUED);
        Options o = Options.parse("run", args.subList(scenario ? 2 : 1, args.size()), valued, SWITCHES, Set.of("--var", "--param"));
        Experiment e;
        try {
            e = overrides(scenario
                    ? ExperimentReader.parse("scenario " + args.get(1) + ".json", ScenariosCommand.experiment(args.get(1), o).toString(),
                            o.all("--var"), System::getenv)
                    : ExperimentReader.read(file, o.all("--var"), System::getenv), o);
        } catch (ExperimentException ex) {
            ex.problems().forEach(err::println);
            err.println("meshunit: invalid experiment, nothing run: " + ex.problems().size() + " problem(s)");
            return Main.INVALID;
        }
        JsonNode ext = e.meshunit() == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : e.meshunit();
        LoadSpec load = ext.has("load") && !o.has("--no-load") ? LoadSettings.fromExtension(ext.get("load"), "extensions[meshunit].load") : null;
        AdminProbe probe = probe(o, ext);
        Path journalPath = Path.of(o.has("--journal-path") ? o.value("--journal-path") : "journal.json");
        Path report = o.has("--no-report") ? null : Path.of(o.has("--report") ? o.value("--report") : ext.path("report").asText("report.html"));

        List<ReportData.Phase> phases = Collections.synchronizedList(new ArrayList<>());
        String[] current = {"hypothesis (before)"};
        RunListener listener = new RunListener() {
            @Override
            public void phase(String kind, String name, Instant start, Instant end, boolean ok) {
                phases.add(new ReportData.Phase(kind, name, start, end, ok));
            }

            @Override
            public void started(String kind, String name) {
                current[0] = kind + " " + name;
            }
        };
        ExperimentRunner runner = new ExperimentRunner(e, err, listener, Main.version());
        Thread watcher = new Thread(() -> {
            try {
                stop.await();
                runner.interrupt();
            } catch (InterruptedException ignored) {
                // the run ended first
            }
        }, "meshunit-run-stop");
        watcher.setDaemon(true);
        watcher.start();

        LoadDriver driver = load == null ? null : new LoadDriver(load).start();
        Progress progress = driver == null && probe == null ? null
                : new Progress(driver, probe, o.has("--quiet") ? null : err, () -> current[0]);
        ObjectNode journal;
        try {
            journal = runner.run();
        } finally {
            watcher.interrupt();
            if (driver != null) driver.close();
            if (progress != null) progress.close();
        }
        write(journalPath, journal);
        err.println("meshunit run: journal " + journalPath);
        if (report != null) {
            dev.meshunit.chaos.load.Timeline timeline = progress != null ? progress.timeline() : new dev.meshunit.chaos.load.Timeline(Instant.now());
            ObjectNode data = ReportData.of(e.title(), journal, timeline, phases, load, driver == null ? null : driver.recorder(),
                    probe == null ? null : probe.journal());
            Path json = HtmlReport.write(data, report);
            err.println("meshunit run: report " + report + " and " + json);
        }
        if (driver != null) out.println(LoadCommand.summary(driver.recorder()));
        String status = journal.get("status").asText();
        boolean deviated = journal.get("deviated").asBoolean();
        out.println("meshunit run: " + (deviated ? "deviated" : status) + ": " + e.title());
        if (status.equals("aborted") || status.equals("interrupted")) return ABORTED;
        JsonNode before = journal.path("steady_states").path("before");
        boolean beforeFailed = before.isObject() && !before.path("steady_state_met").asBoolean();
        return deviated || beforeFailed || status.equals("failed") ? DEVIATED : Main.OK;
    }

    private static Experiment overrides(Experiment e, Options o) throws UsageException {
        Experiment.RollbackStrategy rs = e.rollbackStrategy();
        if (o.has("--rollback-strategy")) {
            rs = pick(Experiment.RollbackStrategy.values(), o.value("--rollback-strategy"), "--rollback-strategy", s -> s.spelling);
        }
        Experiment.HypothesisStrategy hs = e.hypothesisStrategy();
        if (o.has("--hypothesis-strategy")) {
            hs = pick(Experiment.HypothesisStrategy.values(), o.value("--hypothesis-strategy"), "--hypothesis-strategy", s -> s.spelling);
        }
        double freq = e.hypothesisFrequencySeconds();
        if (o.has("--hypothesis-frequency")) freq = LoadSettings.duration("--hypothesis-frequency", o.value("--hypothesis-frequency")).toMillis() / 1000.0;
        return new Experiment(e.source(), e.raw(), e.title(), e.hypothesis(), e.method(), e.rollbacks(), hs, freq, rs, e.meshunit());
    }

    private static <E> E pick(E[] values, String v, String flag, java.util.function.Function<E, String> spelling) throws UsageException {
        for (E e : values) if (spelling.apply(e).equals(v)) return e;
        throw new UsageException(flag + " must be one of " + String.join(", ", java.util.Arrays.stream(values).map(spelling).toList()) + ", was '" + v + "'");
    }

    private static AdminProbe probe(Options o, JsonNode ext) throws UsageException {
        String admin = o.has("--admin") ? o.value("--admin") : ext.path("admin").asText(null);
        String toxi = o.has("--toxiproxy") ? o.value("--toxiproxy") : ext.path("toxiproxy").asText(null);
        if (admin == null && toxi == null) return null;
        return new AdminProbe(admin == null ? null : LoadSettings.uri("admin", admin), toxi == null ? null : LoadSettings.uri("toxiproxy", toxi));
    }

    private static void write(Path path, ObjectNode journal) {
        try {
            if (path.getParent() != null) Files.createDirectories(path.getParent());
            Files.writeString(path, journal.toPrettyString());
        } catch (IOException ex) {
            throw new java.io.UncheckedIOException("cannot write the journal " + path + ": " + ex.getMessage(), ex);
        }
    }
}
