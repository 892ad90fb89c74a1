package dev.meshunit.cli;

import dev.meshunit.route.DryRun;
import dev.meshunit.route.RouteRequest;
import dev.meshunit.router.RetryDefaults;
import dev.meshunit.route.RoutingDiff;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code meshunit diff --before PATH --after PATH --requests FILE [--allow SERVICE[:ASPECT]]...}: the same requests
 * through both configs; prints every request whose decision changed. Exit 0 when nothing changed that an
 * {@code --allow} does not cover, 1 when something did, 2 for invalid config or usage.
 */
final class DiffCommand {
    static final int CHANGED = 1;

    private DiffCommand() {}

    static int run(List<String> args, PrintStream out, PrintStream err) throws UsageException {
        Options o = Options.parse("diff", args, Set.of("--before", "--after", "--requests", "--request", "--allow",
                "--retry-defaults"),
                Set.of(), Set.of("--before", "--after", "--request", "--allow"));
        List<RouteRequest> requests = RouteCommand.requests(o);
        ConfigFiles before = load(o.required("--before"), "--before", err);
        ConfigFiles after = load(o.required("--after"), "--after", err);
        if (before == null || after == null) return Main.INVALID;
        RetryDefaults defaults = ProxyCommand.Settings.retryDefaults(o.value("--retry-defaults"));
        RoutingDiff diff = RoutingDiff.between(DryRun.of(before.result().config(), "default", Map.of(), defaults),
                DryRun.of(after.result().config(), "default", Map.of(), defaults));
        try {
            diff = diff.allow(o.all("--allow").toArray(String[]::new));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--allow: " + e.getMessage());
        }
        RoutingDiff.Result result = diff.run(requests);
        out.print(result.describe());
        return result.hasUnexpected() ? CHANGED : Main.OK;
    }

    private static ConfigFiles load(List<String> paths, String flag, PrintStream err) throws UsageException {
        ConfigFiles files = ConfigFiles.load(paths);
        files.printProblems(err);
        if (!files.result().hasErrors()) return files;
        err.println("meshunit: invalid config " + flag + ": " + files.summary());
        return null;
    }
}
