package dev.meshunit.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshunit.chaos.scenarios.Scenario;
import dev.meshunit.chaos.scenarios.ScenarioExperiment;
import dev.meshunit.chaos.scenarios.Scenarios;
import java.io.PrintStream;
import java.net.URI;
import java.util.List;
import java.util.Set;

/**
 * {@code meshunit scenarios}: lists the scenario library; {@code meshunit scenarios NAME --admin URL ...} prints the
 * scenario as a Chaos Toolkit experiment (for {@code meshunit run} or {@code chaos run}).
 */
final class ScenariosCommand {
    static final Set<String> VALUED = Set.of("--param", "--admin", "--toxiproxy", "--probe");

    private ScenariosCommand() {}

    static int run(List<String> args, PrintStream out) throws UsageException {
        if (args.isEmpty()) {
            for (Scenario s : Scenarios.all()) {
                out.println(s.name() + "  " + s.description());
                s.parameters().forEach((k, v) -> out.println("    --param " + k + "=" + v));
            }
            return Main.OK;
        }
        Options o = Options.parse("scenarios", args.subList(1, args.size()), VALUED, Set.of(), Set.of("--param"));
        out.println(experiment(args.get(0), o).toPrettyString());
        return Main.OK;
    }

    /** The scenario {@code name} with its {@code --param}s, as an experiment against {@code --admin}. */
    static ObjectNode experiment(String name, Options o) throws UsageException {
        Scenario s;
        try {
            s = Scenarios.named(name);
            for (String p : o.all("--param")) {
                int eq = p.indexOf('=');
                if (eq <= 0) throw new UsageException("--param must look like name=value, was '" + p + "'");
                s = s.with(p.substring(0, eq), p.substring(eq + 1));
            }
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        URI admin = LoadSettings.uri("--admin", o.required("--admin").get(0));
        URI toxiproxy = o.has("--toxiproxy") ? LoadSettings.uri("--toxiproxy", o.value("--toxiproxy")) : null;
        URI probe = o.has("--probe") ? LoadSettings.uri("--probe", o.value("--probe")) : null;
        try {
            return ScenarioExperiment.of(s, admin, toxiproxy, probe);
        } catch (IllegalArgumentException e) {
            throw new UsageException("scenario " + name + ": " + e.getMessage().replace("give its URL", "give --toxiproxy URL"));
        }
    }
}
