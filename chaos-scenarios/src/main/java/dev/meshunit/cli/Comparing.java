package dev.meshunit.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshunit.MeshProxy;
import dev.meshunit.admin.AdminServer;
import dev.meshunit.mirror.ComparisonReport;
import dev.meshunit.mirror.ComparisonResult;
import dev.meshunit.mirror.ShadowComparison;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code meshunit proxy --compare-report DIR}: a local shadow experiment. The proxy mirrors as its config
 * says and records bodies; the comparison (module mirror) runs on what the journal holds when asked
 * ({@code GET /compare}, {@code POST /compare/report}) and once more when the proxy stops, writing
 * {@code DIR/comparison.json} and {@code DIR/comparison.html}.
 */
final class Comparing {
    static final String JSON_FILE = "comparison.json";
    static final String HTML_FILE = "comparison.html";
    /** How long a stop waits for shadows still under way; well inside Main's bound on a signalled stop. */
    static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(5);

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The comparison's settings: where to write, which shadows are candidate and secondary, what to leave out. */
    record Settings(Path dir, String candidate, String secondary, List<String> ignore, List<String> ignoreHeaders) {
        static Settings parse(Options o) throws UsageException {
            List<String> ignore = o.all("--ignore");
            for (String p : ignore) {
                if (!p.startsWith("$")) throw new UsageException("--ignore takes a JSON path starting with $, was '" + p + "'");
            }
            if (!o.has("--compare-report")) {
                for (String flag : List.of("--candidate", "--secondary", "--ignore", "--ignore-header")) {
                    if (o.has(flag)) throw new UsageException(flag + " needs --compare-report DIR");
                }
                return null;
            }
            Path dir = Path.of(o.value("--compare-report"));
            if (o.has("--candidate") && o.value("--candidate").equals(o.value("--secondary"))) {
                throw new UsageException("--candidate and --secondary name the same subset '" + o.value("--candidate") + "'");
            }
            return new Settings(dir, o.value("--candidate"), o.value("--secondary"), ignore, o.all("--ignore-header"));
        }
    }

    private final Settings settings;
    private final MeshProxy proxy;

    private Comparing(Settings settings, MeshProxy proxy) {
        this.settings = settings;
        this.proxy = proxy;
    }

    /** Checks that the report folder can be made, before anything listens. */
    static void prepare(Settings s) throws UsageException {
        try {
            Files.createDirectories(s.dir());
        } catch (IOException | UncheckedIOException e) {
            throw new UsageException("--compare-report " + s.dir() + ": cannot create the folder (" + e.getMessage() + ")");
        }
        if (!Files.isWritable(s.dir())) throw new UsageException("--compare-report " + s.dir() + ": folder not writable");
    }

    /** Adds {@code GET /compare} and {@code POST /compare/report} to the admin API. */
    static Comparing attach(Settings s, MeshProxy proxy, AdminServer.Builder admin) {
        Comparing c = new Comparing(s, proxy);
        admin.endpoint("GET", "/compare", r -> AdminServer.Reply.json(200, ComparisonReport.of(c.compare()).toJson()));
        admin.endpoint("POST", "/compare/report", r -> AdminServer.Reply.json(200, c.written(c.write())));
        return c;
    }

    ComparisonResult compare() {
        ShadowComparison.Builder b = ShadowComparison.on(proxy.journal());
        if (settings.candidate() != null) b.candidate(ShadowComparison.subset(settings.candidate()));
        if (settings.secondary() != null) b.secondary(ShadowComparison.subset(settings.secondary()));
        b.ignoring(settings.ignore().toArray(String[]::new));
        b.ignoringHeaders(settings.ignoreHeaders().toArray(String[]::new));
        return b.build().compare();
    }

    /** Compares what the journal holds now and writes both files. */
    ComparisonResult write() {
        ComparisonResult result = compare();
        ComparisonReport.of(result).writeJson(settings.dir().resolve(JSON_FILE)).writeHtml(settings.dir().resolve(HTML_FILE));
        return result;
    }

    /** The answer of {@code POST /compare/report}: where the files are, the totals, and shadows still under way. */
    private String written(ComparisonResult result) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("json", settings.dir().resolve(JSON_FILE).toAbsolutePath().toString());
        body.put("html", settings.dir().resolve(HTML_FILE).toAbsolutePath().toString());
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("compared", result.compared());
        summary.put("equal", result.equal());
        summary.put("different", result.different());
        summary.put("skipped", result.skipped().size());
        body.put("summary", summary);
        body.put("shadowsInFlight", proxy.shadowsInFlight());
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * On stop: waits (bounded) for shadows still under way, then writes the report and says so on stderr.
     * Returns false when the files could not be written.
     */
    boolean writeOnStop(PrintStream err) {
        long deadline = System.nanoTime() + SHUTDOWN_WAIT.toNanos();
        // Nothing signals the end of the last shadow (the journal notifies before the count drops), so poll.
        while (proxy.shadowsInFlight() > 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
        }
        int late = proxy.shadowsInFlight();
        if (late > 0) err.println("meshunit: " + late + " shadows still under way after " + SHUTDOWN_WAIT.toSeconds() + " s: left out");
        try {
            ComparisonResult result = write();
            err.println("meshunit comparison report " + settings.dir().resolve(JSON_FILE) + " " + settings.dir().resolve(HTML_FILE)
                    + ": " + result.different() + " of " + result.compared() + " compared exchanges differ, "
                    + result.skipped().size() + " not compared");
            return true;
        } catch (RuntimeException e) {
            err.println("meshunit: cannot write the comparison report: " + e.getMessage());
            return false;
        }
    }
}
