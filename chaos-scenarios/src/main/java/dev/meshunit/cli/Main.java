package dev.meshunit.cli;

import dev.meshunit.internal.netty.NettyWarmUp;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The {@code meshunit} command: {@code proxy}, {@code validate}, {@code route}, {@code diff}, {@code run},
 * {@code load}, {@code scenarios}, {@code help}, {@code version}. Exit codes: 0 success, 1 the proxy could not start
 * (e.g. a port in use), {@code diff} found an unexpected change, {@code run}'s hypothesis deviated or {@code load}
 * went over its error rate, 2 invalid config or bad usage, 3 validate found only warnings and was asked to fail
 * on them, or {@code run} was aborted, 4 the proxy stopped on a fatal error (out of memory, a dead event loop).
 */
public final class Main {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int INVALID = 2;
    /** {@code proxy} stopped on an {@link OutOfMemoryError} or a dead event loop: it could not answer any more. */
    public static final int FATAL = 4;

    static final String USAGE = """
            Usage:
              meshunit proxy --config PATH [--config PATH ...] [--port N] [--admin-port M]
                             [--seed S] [--bind ADDR] [--listener-per-service] [--journal-capacity N]
                             [--retry-defaults istio-1.24|istio-1.23|none] [--toxiproxy-port N] [--sidecar-toxics]
                             [--journal-max-bytes BYTES] [--journal-max-headers N] [--journal-max-header-bytes BYTES]
                             [--request-headers-timeout D] [--stream-idle-timeout D] [--idle-timeout D]
                             [--istio-sidecar-timeouts] [--max-headers-count N] [--max-request-headers-kb N]
                             [--max-connections N] [--max-pending-head-bytes BYTES]
                             [--gateway NAME ...] [--record-bodies BYTES] [--compare-report DIR [--candidate SUBSET]
                              [--secondary SUBSET] [--ignore JSONPATH ...] [--ignore-header NAME ...]]
              meshunit validate --config PATH [--config PATH ...] [--format text|json] [--fail-on-warning]
              meshunit route --config PATH [--config PATH ...] (--request LINE ... | --requests FILE)
                             [--source-namespace NS] [--retry-defaults istio-1.24|istio-1.23|none]
              meshunit diff --before PATH [...] --after PATH [...] (--requests FILE | --request LINE ...)
                            [--allow SERVICE[:ASPECT] ...] [--retry-defaults istio-1.24|istio-1.23|none]
              meshunit run EXPERIMENT [--journal-path PATH] [--report PATH.html] [--no-report] [--no-load]
                           [--var NAME[:int|:float]=VALUE ...] [--rollback-strategy always|default|never|deviated]
                           [--hypothesis-strategy default|before-method-only|after-method-only|during-method-only|continuously]
                           [--hypothesis-frequency DURATION] [--admin URL] [--toxiproxy URL] [--quiet]
              meshunit run --scenario NAME [--param NAME=VALUE ...] --admin URL [--toxiproxy URL] [--probe URL]
                           [any option of run above]
              meshunit scenarios [NAME [--param NAME=VALUE ...] --admin URL [--toxiproxy URL] [--probe URL]]
              meshunit load --url URL --rate N [--duration DURATION] [--method M] [--header 'Name: value' ...]
                            [--body TEXT] [--timeout DURATION] [--max-in-flight N] [--max-error-rate PCT]
                            [--admin URL] [--toxiproxy URL] [--report PATH.html] [--quiet]
              meshunit help | --help | -h
              meshunit version | --version

            PATH is a YAML file or a folder (its *.yaml and *.yml files, recursively).
            proxy: binds 127.0.0.1 unless --bind; port 0 (the default) picks a free port. When ready it prints
              'meshunit proxy listening on ADDR:N admin ADDR:M' to stdout; warnings go to stderr.
              Runs until SIGTERM or SIGINT, or until a fatal error (out of memory, a dead event loop) stops
              the proxy: then it prints 'meshunit: fatal: ...' to stderr and exits 4.
              The journal keeps at most --journal-capacity exchanges (10000) and --journal-max-bytes of them
              (16777216, estimated heap; mirrored copies as much again), each with at most --journal-max-headers
              request header values (100) and --journal-max-header-bytes of names and values (8192).
              Downstream limits, as Envoy's: --request-headers-timeout (60s; slow heads get 408), --stream-idle-timeout
              (5m; 504 stream timeout, flag SI), --idle-timeout (1h; idle connections closed), 0 turns one off;
              --istio-sidecar-timeouts starts from the sidecar's values (no request headers or stream idle timeout);
              --max-headers-count (100) and --max-request-headers-kb (60; URI included) get 431; --max-connections
              (unlimited) closes one more at accept; --max-pending-head-bytes (an eighth of the heap) bounds what
              unfinished heads hold together (past it: 503 envoy overloaded, flag OM).
              --gateway also plays that Istio gateway for tcp:/tls: rules (a listener per port they match on).
              --record-bodies keeps the first BYTES of the primary's and each shadow's answer to mirrored requests.
              --compare-report compares the mirrored answers (records 65536 bytes unless --record-bodies): admin
              GET /compare, POST /compare/report, and on stop, write DIR/comparison.json and DIR/comparison.html.
            validate: Istio's webhook rules for VirtualService, DestinationRule, ServiceEntry, WorkloadEntry,
              Gateway and Sidecar, rule for rule, and the istioctl analyzers that need only the given files
              (IST0109 and others); analyzers needing Kubernetes Services, Pods or Secrets are skipped;
              Gateway, Sidecar and other kinds are not applied (a warning says so). What Istio rejects is an error, what it accepts at most a
              warning; stricter only in that unknown fields are errors.
              Problems go to stderr, one per line as file:line:col: Kind name: field: message; a summary
              line goes to stdout. --format json prints instead a JSON array on stdout, one object per
              problem (file, line, column, kind, namespace, name, field, severity, code, message); the
              summary goes to stderr. Exit 0 valid (warnings allowed), 2 errors, 3 warnings only with
              --fail-on-warning.
            route: the routing decision for each request, without backends: rule, destinations with their
              shares, rewrite, fault, timeout, retries, mirrors. LINE is curl-like:
              "GET http://reviews:9080/x -H end-user:jason". FILE has one LINE per line (# comments), or is a
              journal exported as JSON (admin GET /journal).
            diff: the same requests through both configs; prints each request whose decision changed, before
              -> after, splits compared as distributions. --allow declares intended changes: SERVICE (any
              aspect), SERVICE:ASPECT or *:ASPECT, ASPECT one of outcome, route, destination, rewrite, fault,
              timeout, retries, mirrors. Exit 1 when a change is not allowed.
            run: a Chaos Toolkit experiment (JSON, or YAML for .yaml/.yml): hypothesis, method, hypothesis again,
              rollbacks (always, unless --rollback-strategy); providers http and process. Writes the Chaos Toolkit
              journal (--journal-path, default journal.json) and an HTML report with its JSON (--report, default
              report.html). The experiment's extension {name: meshunit} may declare load {url, rate, ...}, admin
              and toxiproxy URLs (flags override them). Progress: one line a second on stderr.
            load: open-loop requests at --rate a second (latency from when each was due, HdrHistogram) for
              --duration or until SIGTERM/SIGINT; one progress line a second on stderr, a summary on stdout.
              --admin URL adds MeshUnit's response flags; --max-error-rate fails the run above that percentage.
            scenarios: lists the scenario library with each parameter's default; with NAME, prints the scenario as a
              Chaos Toolkit experiment (actions on --admin and --toxiproxy; with --probe, a hypothesis that the URL
              answers 200). run --scenario NAME runs it at once.
            DURATION: 30s, 500ms, 2m (a bare number is seconds).
            Exit codes: 0 ok, 1 could not start (e.g. port in use) or diff found an unexpected change,
              2 invalid config or bad usage, 3 validate found warnings only and --fail-on-warning was given,
              4 the proxy stopped on a fatal error.
              run: 0 the hypothesis held, 1 it did not (deviated, not met before the method, or a probe failed),
              2 invalid experiment or usage, 3 aborted or interrupted.
              load: 0 done, 1 error rate over --max-error-rate, 2 bad usage.
            """;

    private Main() {}

    public static void main(String[] args) {
        NettyProperties.copyToRelocated();
        // The command carries slf4j-api for JsonPath and no logging back end: no-op, without slf4j's warning.
        if (System.getProperty("slf4j.provider") == null) {
            System.setProperty("slf4j.provider", "org.slf4j.helpers.NOP_FallbackServiceProvider");
            System.setProperty("slf4j.internal.verbosity", "WARN");
        }
        // Netty's buffer events for Flight Recorder register JFR event classes as the first buffers are allocated,
        // tens of milliseconds before the first answer. -Ddev.meshunit.shaded.io.netty.jfr.enabled=true turns them on.
        // Both names: the shade plugin relocates the first to the second in meshunit.jar, but not where these classes
        // run against the relocated core jar unrelocated (this module's tests in mvn verify).
        for (String jfr : new String[] {"io.netty.jfr.enabled", "dev.meshunit.shaded.io.netty.jfr.enabled"}) {
            if (System.getProperty(jfr) == null) System.setProperty(jfr, "false");
        }
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch finished = new CountDownLatch(1);
        int[] exitCode = {OK};
        // On SIGTERM/SIGINT the JVM would exit 143/130 once the hooks ran; halting with our own code makes a
        // clean stop exit 0. The main thread closes the proxy; the hook waits for that, bounded.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.countDown();
            try {
                finished.await(15, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            System.out.flush();
            System.err.flush();
            Runtime.getRuntime().halt(exitCode[0]);
        }, "meshunit-shutdown"));
        // Only `proxy` owns its JVM for long: there, a heap that runs out ends the process (exit 4, a message).
        FatalHalt halt = args.length > 0 && args[0].equals("proxy") ? FatalHalt.start() : null;
        exitCode[0] = run(args, System.out, System.err, stop, halt == null ? null : halt::trigger);
        if (halt != null) halt.close();
        finished.countDown();
        System.exit(exitCode[0]);
    }

    /** Runs one command; {@code proxy} runs until interrupted. Returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, new CountDownLatch(1));
    }

    /** Runs one command; {@code proxy} runs until {@code stop} is counted down. Returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err, CountDownLatch stop) {
        return run(args, out, err, stop, null);
    }

    /**
     * As {@link #run(String[], PrintStream, PrintStream, CountDownLatch)}; in a JVM of its own, {@code proxy} leaves a
     * fatal error to {@code onFatal} (the watchdog that halts); null: it stops in order, for callers in a JVM they keep.
     */
    static int run(String[] args, PrintStream out, PrintStream err, CountDownLatch stop,
                   java.util.function.Consumer<Throwable> onFatal) {
        try {
            return dispatch(Arrays.asList(args), out, err, stop, onFatal);
        } catch (UsageException e) {
            err.println("meshunit: " + e.getMessage());
            err.println("Run 'meshunit --help' for usage.");
            return INVALID;
        } catch (RuntimeException e) {
            err.println("meshunit: internal error: " + e);
            e.printStackTrace(err);
            return FAILED;
        } finally {
            out.flush();
            err.flush();
        }
    }

    private static int dispatch(List<String> args, PrintStream out, PrintStream err, CountDownLatch stop,
                                java.util.function.Consumer<Throwable> onFatal) throws UsageException {
        if (args.isEmpty()) throw new UsageException("no command given (proxy, validate, route, diff, run, load, scenarios, help, version)");
        List<String> rest = args.subList(1, args.size());
        if (rest.contains("--help") || rest.contains("-h")) {
            out.print(USAGE);
            return OK;
        }
        switch (args.get(0)) {
            case "help", "--help", "-h":
                out.print(USAGE);
                return OK;
            case "version", "--version":
                out.println("meshunit " + version());
                return OK;
            case "validate":
                return ValidateCommand.run(rest, out, err);
            case "proxy":
                return proxy(rest, out, err, stop, onFatal);
            case "route":
                return RouteCommand.run(rest, out, err);
            case "diff":
                return DiffCommand.run(rest, out, err);
            case "run":
                return RunCommand.run(rest, out, err, stop);
            case "load":
                return LoadCommand.run(rest, out, err, stop);
            case "scenarios":
                return ScenariosCommand.run(rest, out);
            case "cds-training": // the launcher's class-data sharing archive is dumped after it (not in the usage)
                return ArchiveTraining.run(err);
            default:
                throw new UsageException("unknown command '" + args.get(0) + "' (proxy, validate, route, diff, run, load, scenarios, help, version)");
        }
    }

    private static int proxy(List<String> args, PrintStream out, PrintStream err, CountDownLatch stop,
                             java.util.function.Consumer<Throwable> halt) throws UsageException {
        ProxyCommand.Settings settings = ProxyCommand.Settings.parse(args);
        // In its own JVM: Netty loads on a second core while this thread reads the config (start-up, issue 16).
        if (halt != null) NettyWarmUp.inBackground();
        ConfigFiles files = ConfigFiles.load(settings.configs());
        files.printProblems(err);
        if (files.result().hasErrors()) {
            err.println("meshunit: invalid config, nothing started: " + files.summary());
            return INVALID;
        }
        if (settings.compare() != null) Comparing.prepare(settings.compare());
        ProxyCommand.Running running;
        try {
            running = ProxyCommand.start(settings, files.result().config(), err);
        } catch (RuntimeException e) {
            err.println("meshunit: " + (e.getMessage() != null ? e.getMessage()
                    : "cannot start on " + settings.bind() + ": " + e.getClass().getSimpleName()));
            return FAILED;
        }
        boolean finished = true;
        Throwable[] fatal = {null};
        java.util.function.Consumer<Throwable> onFatal = e -> {
            if (halt != null) { // in its own JVM: the watchdog prints the message and halts, nothing else may run
                halt.accept(e);
                return;
            }
            synchronized (fatal) {
                if (fatal[0] != null) return;
                fatal[0] = e;
            }
            running.proxy().journal().reset(); // most likely what filled the heap: room for the message and the exit
            err.println(FatalMessage.of(e));
            err.flush();
            stop.countDown();
        };
        running.proxy().onFatalError(onFatal);
        // The ready line first: watching the heap costs the management beans' start-up, and nothing waits for it.
        out.println(running.readyLine());
        out.flush();
        try (running; HeapWatch heap = HeapWatch.start(onFatal::accept)) {
            stop.await();
            if (fatal[0] != null) return FATAL;
            finished = running.finish(err);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return finished ? OK : FAILED;
    }

    static String version() {
        try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
            if (in == null) return "unknown";
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
