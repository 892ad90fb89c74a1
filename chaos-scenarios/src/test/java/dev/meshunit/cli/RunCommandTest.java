package dev.meshunit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshunit.MeshProxy;
import dev.meshunit.admin.AdminServer;
import dev.meshunit.config.load.ConfigLoader;
import dev.meshunit.testing.TestBackend;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code meshunit run}: Chaos Toolkit's semantics, journal, exit codes, load and report, against a live proxy. */
class RunCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path EXPERIMENT = Path.of("src/test/resources/experiments/ratings-abort.yaml");

    @TempDir
    Path dir;
    private final TestBackend v1 = TestBackend.scripted("v1", n -> new TestBackend.Reply(200, "{\"stars\": 4}", 0,
            java.util.Map.of("Content-Type", "application/json")));
    private final TestBackend v2 = TestBackend.named("v2");
    private final MeshProxy proxy = MeshProxy.builder().listenerPerService(true).seed(3)
            .config(ConfigLoader.create().loadString("ratings.yaml", ratings()).orThrow()).start();
    private final AdminServer admin = AdminServer.builder(proxy).start();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @AfterEach
    void stop() {
        admin.close();
        proxy.close();
        v1.close();
        v2.close();
    }

    private String ratings() {
        return """
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: ratings}
                spec:
                  hosts: [ratings]
                  location: MESH_INTERNAL
                  resolution: STATIC
                  ports: [{number: 9080, name: http, protocol: HTTP}]
                  endpoints:
                  - {address: 127.0.0.1, ports: {http: %d}, labels: {version: v1}}
                  - {address: 127.0.0.1, ports: {http: %d}, labels: {version: v2}}
                ---
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: ratings}
                spec:
                  host: ratings
                  subsets: [{name: v1, labels: {version: v1}}, {name: v2, labels: {version: v2}}]
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: ratings}
                spec:
                  hosts: [ratings]
                  http:
                  - retries: {attempts: 0}
                    route: [{destination: {host: ratings, subset: v1}}]
                """.formatted(v1.port(), v2.port());
    }

    private int run(String... extra) {
        List<String> args = new ArrayList<>(List.of("run", EXPERIMENT.toString(),
                "--journal-path", dir.resolve("journal.json").toString(), "--report", dir.resolve("report.html").toString(),
                "--var", "admin=http://127.0.0.1:" + admin.port(),
                "--var", "ratings=http://127.0.0.1:" + proxy.serviceAddress("ratings:9080").getPort(),
                // The probes run on the wall clock: generous for a busy machine (flake-check saw 2.5 s answers
                // under its CPU hog), still short of the point where a probe's outcome would change.
                "--var", "probe_timeout=30"));
        args.addAll(List.of(extra));
        return Main.run(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private JsonNode file(String name) throws IOException {
        return JSON.readTree(Files.readString(dir.resolve(name)));
    }

    @Test
    void aFaultTheRoutingAvoidsLeavesTheHypothesisStandingAndTheJournalHasChaosToolkitsShape() throws IOException {
        assertThat(run()).as(err.toString()).isEqualTo(0);
        JsonNode j = file("journal.json");
        assertThat(j.get("status").asText()).isEqualTo("completed");
        assertThat(j.get("deviated").asBoolean()).isFalse();
        assertThat(j.has("chaoslib-version") && j.has("platform") && j.has("node") && j.has("start") && j.has("end")).isTrue();
        assertThat(j.get("experiment").get("title").asText()).isEqualTo("ratings keeps answering while its v2 fails");
        JsonNode before = j.get("steady_states").get("before");
        assertThat(before.get("steady_state_met").asBoolean()).isTrue();
        assertThat(before.get("probes")).hasSize(2);
        assertThat(before.get("probes").get(0).get("output").get("status").asInt()).isEqualTo(200);
        assertThat(before.get("probes").get(1).get("tolerance_met").asBoolean()).isTrue();
        assertThat(j.get("steady_states").get("after").get("steady_state_met").asBoolean()).isTrue();
        assertThat(j.get("run")).hasSize(2);
        assertThat(j.get("run").get(0).get("activity").get("name").asText()).isEqualTo("ratings-failing");
        assertThat(j.get("run").get(0).get("output").get("status").asInt()).isEqualTo(201);
        assertThat(j.get("run").get(1).get("output").get("body").get(0).get("subset").asText()).isEqualTo("v2");
        assertThat(j.get("run").get(0).get("duration").asDouble()).isLessThan(j.get("duration").asDouble());
        assertThat(j.get("rollbacks").get(0).get("status").asText()).isEqualTo("succeeded");
        assertThat(proxy.faults().isEmpty()).as("the rollback removed the fault").isTrue();
        assertThat(out.toString()).contains("meshunit run: completed: ratings keeps answering while its v2 fails")
                // The load runs on the wall clock: on a busy machine a few requests may time out, so no count of errors.
                .containsPattern("meshunit load: [1-9]\\d* sent, \\d+ ok, \\d+ errors");
    }

    @Test
    void aFaultOnTheServingSubsetDeviatesExitsOneAndStillRollsBack() throws IOException {
        assertThat(run("--var", "fault_subset=v1")).as(err.toString()).isEqualTo(1);
        JsonNode j = file("journal.json");
        assertThat(j.get("deviated").asBoolean()).isTrue();
        assertThat(j.get("status").asText()).isEqualTo("completed");
        JsonNode after = j.get("steady_states").get("after");
        assertThat(after.get("steady_state_met").asBoolean()).isFalse();
        assertThat(after.get("probes").get(0).get("output").get("status").asInt()).isEqualTo(503);
        assertThat(j.get("rollbacks")).hasSize(1);
        assertThat(proxy.faults().isEmpty()).isTrue();
        assertThat(err.toString()).contains("NOT within tolerance 200 (got status 503");

        JsonNode report = file("report.json");
        assertThat(report.get("deviated").asBoolean()).isTrue();
        assertThat(report.get("load").get("outcomes").get("5xx").asLong()).isPositive();
        assertThat(report.get("phases")).extracting(p -> p.get("kind").asText())
                .containsSubsequence("hypothesis-before", "action", "probe", "hypothesis-after", "rollback");
        assertThat(report.get("faults").get(0).get("what").asText()).isEqualTo("ratings v1: abort 503");
        assertThat(report.get("subsets").toString()).contains("ratings.default.svc.cluster.local v1");
        long fi = 0;
        for (JsonNode s : report.get("seconds")) fi += s.path("flags").path("FI").asLong();
        assertThat(fi).as("flags over time come from MeshUnit's journal: " + report.get("seconds")).isPositive();
        assertThat(err.toString()).containsPattern("\\[ +\\d+s\\] \\d+\\.\\d req/s  ok \\d+  errors \\d+");
        assertThat(Files.readString(dir.resolve("report.html"))).contains("<script>", "uPlot").doesNotContain("/*DATA*/");
    }

    @Test
    void theReportRendersInHeadlessChromiumWithoutScriptErrors() {
        assertThat(run("--var", "fault_subset=v1")).isEqualTo(1);
        Chromium.Page page = Chromium.open(dir.resolve("report.html"));
        assertThat(page.console()).as("console messages").isEmpty();
        assertThat(page.dom()).contains("data-rendered=\"ok\"", "data-charts=\"2\"", "status: deviated",
                "class=\"uplot", "ratings-failing", "ratings v1: abort 503", "ratings.default.svc.cluster.local v1");
    }

    @Test
    void theRollbackStrategyNeverLeavesTheFaultInForce() {
        assertThat(run("--var", "fault_subset=v1", "--rollback-strategy", "never", "--no-load", "--no-report")).isEqualTo(1);
        assertThat(proxy.faults().list()).hasSize(1);
    }

    @Test
    void anInvalidExperimentNamesEveryProblemAndRunsNothing() throws IOException {
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, """
                {"title": "bad",
                 "steady-state-hypothesis": {"title": "h", "probes": [
                   {"type": "probe", "name": "p", "provider": {"type": "http"}},
                   {"type": "probe", "name": "q", "tolerance": {"type": "regex", "pattern": "("}, "provider": {"type": "python", "module": "x", "func": "y"}}]},
                 "method": [{"ref": "nothere"}, {"type": "action", "name": "a", "provider": {"type": "process"}, "pauses": {"after": -1}}]}
                """);
        int code = Main.run(new String[] {"run", bad.toString(), "--journal-path", dir.resolve("j.json").toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains(
                bad + ": steady-state-hypothesis.probes[0].provider.url: required for an http provider",
                bad + ": steady-state-hypothesis.probes[0].tolerance: required for a hypothesis probe",
                bad + ": steady-state-hypothesis.probes[1].provider.type: python providers run only under Chaos Toolkit's own chaos run",
                "steady-state-hypothesis.probes[1].tolerance.pattern: invalid regular expression",
                bad + ": method[0].ref: no activity named 'nothere' (named: a, p, q)",
                bad + ": method[1].provider.path: required for a process provider",
                bad + ": method[1].pauses.after: a number of seconds >= 0, was -1");
        assertThat(Files.exists(dir.resolve("j.json"))).isFalse();
        assertThat(Main.run(new String[] {"run"}, new PrintStream(out), new PrintStream(err))).isEqualTo(2);
    }

    @Test
    void processProbesAndStatusTolerancesWork() throws IOException {
        Path exp = dir.resolve("process.yaml");
        Files.writeString(exp, """
                title: a process probe
                steady-state-hypothesis:
                  title: sh says hello
                  probes:
                  - {type: probe, name: echo, tolerance: 0, provider: {type: process, path: /bin/sh, arguments: [-c, "echo hello"]}}
                  - {type: probe, name: stdout, tolerance: {type: regex, pattern: "^hel+o", target: stdout}, provider: {type: process, path: echo, arguments: hello}}
                method:
                - {type: action, name: fail, provider: {type: process, path: /bin/sh, arguments: [-c, "exit 3"]}}
                - {type: action, name: slow, provider: {type: process, path: sleep, arguments: ["5"], timeout: 0.2}}
                """);
        int code = Main.run(new String[] {"run", exp.toString(), "--journal-path", dir.resolve("p.json").toString(), "--no-report"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).as(err.toString()).isEqualTo(0);
        JsonNode j = file("p.json");
        assertThat(j.get("run").get(0).get("output").get("status").asInt()).isEqualTo(3);
        assertThat(j.get("run").get(1).get("status").asText()).isEqualTo("failed");
        assertThat(j.get("run").get(1).get("exception").get(0).asText()).contains("took too long");
    }

    @Test
    void aScenarioOfTheLibraryRunsAsAnExperiment() throws IOException {
        String ratingsUrl = "http://127.0.0.1:" + proxy.serviceAddress("ratings:9080").getPort() + "/ratings/1";
        int code = Main.run(new String[] {"run", "--scenario", "failing-dependency", "--param", "host=ratings",
                "--param", "duration=500ms", "--admin", "http://127.0.0.1:" + admin.port(), "--probe", ratingsUrl,
                "--journal-path", dir.resolve("s.json").toString(), "--no-report"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).as(err.toString()).isEqualTo(1);
        JsonNode j = file("s.json");
        assertThat(j.get("deviated").asBoolean()).isTrue();
        assertThat(j.get("run").get(0).get("activity").get("name").asText()).isEqualTo("fail-ratings");
        assertThat(j.get("rollbacks").get(0).get("activity").get("name").asText()).isEqualTo("remove-faults");
        assertThat(proxy.faults().isEmpty()).isTrue();

        out.reset();
        assertThat(Main.run(new String[] {"scenarios"}, new PrintStream(out, true, StandardCharsets.UTF_8), System.err)).isZero();
        assertThat(out.toString()).contains("slow-dependency  Every request to host waits delay", "    --param delay=2s",
                "partition  ", "retry-storm  ");
        out.reset();
        assertThat(Main.run(new String[] {"scenarios", "partition", "--admin", "http://127.0.0.1:1"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))).isEqualTo(2);
        assertThat(err.toString()).contains("scenario partition: partition-down needs the Toxiproxy API: give --toxiproxy URL");
    }
}
