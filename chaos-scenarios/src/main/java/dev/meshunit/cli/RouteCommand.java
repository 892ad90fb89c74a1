package dev.meshunit.cli;

import dev.meshunit.route.DryRun;
import dev.meshunit.route.RouteRequest;
import dev.meshunit.route.RouteRequests;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code meshunit route --config PATH --request "GET http://reviews:9080/x -H end-user:jason"}: the proxy's routing
 * decision for each request, without backends. Exit 0, or 2 for invalid config or usage.
 */
final class RouteCommand {
    private RouteCommand() {}

    static int run(List<String> args, PrintStream out, PrintStream err) throws UsageException {
        Options o = Options.parse("route", args, Set.of("--config", "--request", "--requests", "--source-namespace",
                "--retry-defaults"),
                Set.of(), Set.of("--config", "--request"));
        List<RouteRequest> requests = requests(o);
        ConfigFiles files = ConfigFiles.load(o.required("--config"));
        files.printProblems(err);
        if (files.result().hasErrors()) {
            err.println("meshunit: invalid config: " + files.summary());
            return Main.INVALID;
        }
        String ns = o.value("--source-namespace") == null ? "default" : o.value("--source-namespace");
        DryRun dry = DryRun.of(files.result().config(), ns, Map.of(),
                ProxyCommand.Settings.retryDefaults(o.value("--retry-defaults")));
        for (RouteRequest r : requests) out.print(dry.decide(r).describe());
        return Main.OK;
    }

    /** {@code --request} lines, then the requests of {@code --requests FILE}; at least one. */
    static List<RouteRequest> requests(Options o) throws UsageException {
        List<RouteRequest> requests = new ArrayList<>();
        for (String line : o.all("--request")) {
            try {
                requests.add(RouteRequest.parse(line));
            } catch (IllegalArgumentException e) {
                throw new UsageException("--request: " + e.getMessage());
            }
        }
        String file = o.value("--requests");
        if (file != null) {
            Path path = Path.of(file);
            if (!Files.isRegularFile(path)) throw new UsageException("--requests " + file + ": no such file");
            try {
                requests.addAll(RouteRequests.read(path));
            } catch (IllegalArgumentException | UncheckedIOException e) {
                throw new UsageException("--requests " + e.getMessage());
            }
        }
        if (requests.isEmpty()) throw new UsageException("give requests with --request LINE or --requests FILE");
        return requests;
    }
}
