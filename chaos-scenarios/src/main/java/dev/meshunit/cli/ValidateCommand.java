package dev.meshunit.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshunit.config.load.Problem;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Set;

/**
 * {@code meshunit validate}: text for people (problems on stderr, a summary on stdout) or, with
 * {@code --format json}, one JSON object per problem on stdout for CI annotations. The exit code separates
 * errors (2) from warnings only (0, or 3 with {@code --fail-on-warning}).
 */
final class ValidateCommand {
    static final int WARNINGS = 3;

    private ValidateCommand() {}

    static int run(List<String> args, PrintStream out, PrintStream err) throws UsageException {
        Options o = Options.parse("validate", args, Set.of("--config", "--format"), Set.of("--fail-on-warning"),
                Set.of("--config"));
        String format = o.has("--format") ? o.value("--format") : "text";
        if (!format.equals("text") && !format.equals("json")) {
            throw new UsageException("--format must be text or json, was '" + format + "'");
        }
        ConfigFiles files = ConfigFiles.load(o.required("--config"));
        if (format.equals("json")) {
            printJson(files.result().problems(), out);
            err.println(files.summary());
        } else {
            files.printProblems(err);
            out.println(files.summary());
        }
        if (files.result().hasErrors()) return Main.INVALID;
        if (o.has("--fail-on-warning") && !files.result().warnings().isEmpty()) return WARNINGS;
        return Main.OK;
    }

    /** A JSON array with one problem per line, so that both {@code jq} and {@code grep} can read it. */
    static void printJson(List<Problem> problems, PrintStream out) {
        out.print('[');
        for (int i = 0; i < problems.size(); i++) {
            out.print(i == 0 ? "\n  " : ",\n  ");
            out.print(json(problems.get(i)));
        }
        out.println(problems.isEmpty() ? "]" : "\n]");
    }

    /** Only {@code --format json} needs databind: text output starts without it (issue 16, start-up). */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    static String json(Problem p) {
        ObjectMapper json = Json.MAPPER;
        ObjectNode o = json.createObjectNode();
        o.put("file", p.position().source());
        o.put("line", p.position().line());
        o.put("column", p.position().column());
        o.put("kind", p.kind());
        o.put("namespace", p.namespace());
        o.put("name", p.name());
        o.put("field", p.path() == null ? "" : p.path());
        o.put("severity", p.isError() ? "error" : "warning");
        o.put("code", p.code());
        o.put("message", p.message());
        try {
            return json.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
