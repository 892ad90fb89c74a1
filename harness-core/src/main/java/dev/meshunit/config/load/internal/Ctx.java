package dev.meshunit.config.load.internal;

import dev.meshunit.config.load.Position;
import dev.meshunit.config.load.Problem;
import dev.meshunit.config.load.Problem.Severity;
import dev.meshunit.config.load.internal.Node.Mark;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Binding state of one YAML document: where problems go, which resource they name, and the position of
 * every field path read so far (the validator later asks for them).
 */
public final class Ctx {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]*)}");

    private final String source;
    private final List<Problem> problems;
    private final Function<String, String> placeholders;
    private final Map<String, Mark> positions = new HashMap<>();
    private String resource = "";

    public Ctx(String source, List<Problem> problems, Function<String, String> placeholders) {
        this.source = source;
        this.problems = problems;
        this.placeholders = placeholders;
    }

    void resource(String kindAndName) {
        this.resource = kindAndName;
    }

    String source() {
        return source;
    }

    void at(String path, Mark mark) {
        positions.putIfAbsent(path, mark);
    }

    /** Field path → position for the fields read, with the resource itself under "". */
    Map<String, Mark> positions() {
        return Map.copyOf(positions);
    }

    void error(String path, Mark mark, String message) {
        problems.add(new Problem(Severity.ERROR, position(mark), resource, path, message, null));
    }

    void warning(String path, Mark mark, String message, String code) {
        problems.add(new Problem(Severity.WARNING, position(mark), resource, path, message, code));
    }

    Position position(Mark mark) {
        return new Position(source, mark.line(), mark.column());
    }

    /** Substitutes {@code ${name}}; null (after reporting) when a name is unresolved. */
    String substitute(String text, String path, Mark mark) {
        if (!text.contains("${")) return text;
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        boolean resolved = true;
        while (m.find()) {
            String value = placeholders.apply(m.group(1));
            if (value == null) {
                error(path, mark, "unresolved placeholder ${" + m.group(1) + "}");
                resolved = false;
                value = m.group();
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return resolved ? out.toString() : null;
    }
}
