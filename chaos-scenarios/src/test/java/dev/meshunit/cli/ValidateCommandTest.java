package dev.meshunit.cli;

import static dev.meshunit.cli.Fixtures.json;
import static dev.meshunit.cli.Fixtures.write;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code meshunit validate}: the JSON format for CI and the exit codes that separate errors from warnings. */
class ValidateCommandTest {
    /** A ServiceEntry that is valid but draws one warning (IST0134: a TCP port without addresses). */
    private static final String WARNING_ONLY = """
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: db}
            spec:
              hosts: [db.example.com]
              ports: [{number: 5432, name: tcp, protocol: TCP}]
              resolution: DNS
            """;

    @TempDir
    Path dir;

    record Result(int exit, String out, String err) {}

    static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void jsonHasOneObjectPerProblemWithEveryField() {
        Path bad = write(dir, "ratings.yaml", Fixtures.BROKEN);
        Result r = run("validate", "--config", bad.toString(), "--format", "json");
        assertThat(r.exit()).isEqualTo(Main.INVALID);
        JsonNode problems = json(r.out());
        assertThat(problems.isArray()).isTrue();
        List<String> lines = r.out().lines().toList();
        assertThat(lines).first().isEqualTo("[");
        assertThat(lines).last().isEqualTo("]");
        assertThat(lines).hasSize(problems.size() + 2);
        JsonNode error = find(problems, "error");
        assertThat(error.get("file").asText()).isEqualTo(bad.toString());
        assertThat(error.get("line").asInt()).isEqualTo(9);
        assertThat(error.get("column").asInt()).isPositive();
        assertThat(error.get("kind").asText()).isEqualTo("VirtualService");
        assertThat(error.get("name").asText()).isEqualTo("ratings");
        assertThat(error.get("field").asText()).isEqualTo("http[0].retries.attempts");
        assertThat(error.get("code").isNull()).isTrue();
        assertThat(error.get("message").asText()).contains(">= 0");
        List<String> names = new ArrayList<>();
        error.fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactly("file", "line", "column", "kind", "namespace", "name", "field", "severity", "code", "message");
        assertThat(r.err()).startsWith("1 file, 1 resource: invalid (1 error");
    }

    @Test
    void jsonCarriesAnalyzerCodes() {
        Path file = write(dir, "db.yaml", WARNING_ONLY);
        Result r = run("validate", "--config", file.toString(), "--format=json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode warning = find(json(r.out()), "warning");
        assertThat(warning.get("code").asText()).isEqualTo("IST0134");
        assertThat(warning.get("kind").asText()).isEqualTo("ServiceEntry");
        assertThat(warning.get("field").asText()).isEqualTo("ports[0]");
    }

    @Test
    void noProblemsIsAnEmptyArray() {
        Path good = write(dir, "reviews.yaml", Fixtures.reviews(9999));
        Result r = run("validate", "--config", good.toString(), "--format", "json");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("[]\n");
        assertThat(r.err()).isEqualTo("1 file, 2 resources: valid (0 warnings)\n");
    }

    @Test
    void warningsOnlyExitZeroOrThreeWithFailOnWarning() {
        Path file = write(dir, "db.yaml", WARNING_ONLY);
        assertThat(run("validate", "--config", file.toString()).exit()).isEqualTo(Main.OK);
        Result strict = run("validate", "--config", file.toString(), "--fail-on-warning");
        assertThat(strict.exit()).isEqualTo(ValidateCommand.WARNINGS).isEqualTo(3);
        assertThat(strict.err()).contains("warning: ").contains("[IST0134]");
        assertThat(strict.out()).startsWith("1 file, 1 resource: valid (1 warning)");
        Path good = write(dir, "reviews.yaml", Fixtures.reviews(9999));
        assertThat(run("validate", "--config", good.toString(), "--fail-on-warning").exit()).isEqualTo(Main.OK);
    }

    @Test
    void errorsExitTwoEvenWithFailOnWarning() {
        Path bad = write(dir, "ratings.yaml", Fixtures.BROKEN);
        assertThat(run("validate", "--config", bad.toString(), "--fail-on-warning", "--format", "json").exit())
                .isEqualTo(Main.INVALID);
    }

    @Test
    void anUnknownFormatIsAUsageError() {
        Path good = write(dir, "reviews.yaml", Fixtures.reviews(9999));
        Result r = run("validate", "--config", good.toString(), "--format", "yaml");
        assertThat(r.exit()).isEqualTo(Main.INVALID);
        assertThat(r.err()).contains("--format must be text or json, was 'yaml'");
        assertThat(r.out()).isEmpty();
    }

    private static JsonNode find(JsonNode problems, String severity) {
        for (JsonNode p : problems) if (p.get("severity").asText().equals(severity)) return p;
        throw new AssertionError("no " + severity + " in " + problems);
    }
}
