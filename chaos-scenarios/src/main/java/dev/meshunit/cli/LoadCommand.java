package dev.meshunit.cli;

import dev.meshunit.chaos.load.AdminProbe;
import dev.meshunit.chaos.load.LoadDriver;
import dev.meshunit.chaos.load.LoadRecorder;
import dev.meshunit.chaos.load.LoadSpec;
import dev.meshunit.chaos.load.Progress;
import dev.meshunit.chaos.report.HtmlReport;
import dev.meshunit.chaos.report.ReportData;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * {@code meshunit load}: an open-loop load at a constant rate, one progress line a second on stderr, a summary
 * line on stdout, and with {@code --report} the HTML report and its JSON.
 */
final class LoadCommand {
    static final Set<String> VALUED = Set.of("--url", "--rate", "--duration", "--method", "--header", "--body",
            "--timeout", "--max-in-flight", "--admin", "--toxiproxy", "--report", "--max-error-rate");
    static final Set<String> SWITCHES = Set.of("--quiet");

    private LoadCommand() {}

    static int run(List<String> args, PrintStream out, PrintStream err, CountDownLatch stop) throws UsageException {
        Options o = Options.parse("load", args, VALUED, SWITCHES, Set.of("--header"));
        LoadSpec spec = LoadSettings.fromFlags(o);
        Double maxErrorRate = null;
        if (o.has("--max-error-rate")) {
            try {
                maxErrorRate = Double.parseDouble(o.value("--max-error-rate").replace("%", ""));
            } catch (NumberFormatException e) {
                throw new UsageException("--max-error-rate must be a percentage, was '" + o.value("--max-error-rate") + "'");
            }
        }
        AdminProbe admin = probe(o);
        Path report = o.has("--report") ? Path.of(o.value("--report")) : null;
        err.println("meshunit load: " + spec.method() + " " + spec.url() + " at " + spec.rate() + "/s"
                + (spec.duration() == null ? " until stopped" : " for " + spec.duration().toMillis() / 1000.0 + " s"));
        LoadDriver driver = new LoadDriver(spec).start();
        Progress progress = new Progress(driver, admin, o.has("--quiet") ? null : err, () -> "");
        try {
            while (!driver.finished() && !stop.await(100, TimeUnit.MILLISECONDS)) {
                // the pacer and the progress line run on their own threads
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            driver.close(); // waits for the answers still under way, so the last second counts them
            progress.close();
        }
        LoadRecorder r = driver.recorder();
        out.println(summary(r));
        if (report != null) {
            HtmlReport.write(ReportData.of("meshunit load " + spec.url(), null, progress.timeline(), List.of(), spec, r,
                    admin == null ? null : admin.journal()), report);
            err.println("meshunit load: report " + report);
        }
        double errorRate = errorRate(r);
        if (maxErrorRate != null && errorRate > maxErrorRate) {
            err.println(String.format(Locale.ROOT, "meshunit load: error rate %.2f%% is over --max-error-rate %s%%", errorRate, maxErrorRate));
            return Main.FAILED;
        }
        return Main.OK;
    }

    static AdminProbe probe(Options o) throws UsageException {
        if (!o.has("--admin") && !o.has("--toxiproxy")) return null;
        return new AdminProbe(o.has("--admin") ? LoadSettings.uri("--admin", o.value("--admin")) : null,
                o.has("--toxiproxy") ? LoadSettings.uri("--toxiproxy", o.value("--toxiproxy")) : null);
    }

    static double errorRate(LoadRecorder r) {
        Map<String, Long> outcomes = r.snapshot();
        long all = outcomes.values().stream().mapToLong(Long::longValue).sum();
        long bad = outcomes.entrySet().stream().filter(e -> !e.getKey().matches("[23]xx")).mapToLong(Map.Entry::getValue).sum();
        return all == 0 ? 0 : 100.0 * bad / all;
    }

    /** {@code meshunit load: 1500 sent, 1490 ok, 10 errors (5xx 10), p50 3.1 ms, p90 ..., p99 ..., p99.9 ... ms}. */
    static String summary(LoadRecorder r) {
        Map<String, Long> outcomes = r.snapshot();
        long ok = outcomes.getOrDefault("2xx", 0L) + outcomes.getOrDefault("3xx", 0L);
        long bad = outcomes.values().stream().mapToLong(Long::longValue).sum() - ok;
        String kinds = outcomes.entrySet().stream().filter(e -> !e.getKey().matches("[23]xx"))
                .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
        return String.format(Locale.ROOT, "meshunit load: %d sent, %d ok, %d errors%s, p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, p99.9 %.1f ms",
                r.sent(), ok, bad, kinds.isEmpty() ? "" : " (" + kinds + ")", r.percentile(50), r.percentile(90),
                r.percentile(99), r.percentile(99.9));
    }
}
