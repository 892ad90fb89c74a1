package dev.meshunit.chaos.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.InvalidPathException;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.Option;
import java.math.BigDecimal;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Chaos Toolkit's tolerances, with its semantics: a boolean or string equals the output; a number equals the
 * output, or its {@code status} (http, process); a list holds the status, or is a {@code [min, max]} range of a
 * number, or lists the values allowed; {@code {type: regex, pattern, target}} searches the target (e.g.
 * {@code body}, {@code stdout}); {@code {type: jsonpath, path, expect, count, target}} matches JSONPath
 * (Jayway's) against the target; {@code {type: range, range: [min, max], target}}.
 */
final class Tolerances {
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * JsonPath's own JSON reader on the text: its Jackson adapter would need Jackson under its original name, which
     * the published jars relocate.
     */
    private static final Configuration PATHS = Configuration.defaultConfiguration()
            .addOptions(Option.ALWAYS_RETURN_LIST, Option.SUPPRESS_EXCEPTIONS);

    private Tolerances() {}

    static void check(JsonNode t, String path, BiConsumer<String, String> problem) {
        if (t.isBoolean() || t.isTextual() || t.isIntegralNumber() || t.isArray()) return;
        if (!t.isObject()) {
            problem.accept(path, "a boolean, string, integer, list, or {type: regex|jsonpath|range, ...}");
            return;
        }
        switch (t.path("type").asText()) {
            case "regex" -> {
                try {
                    Pattern.compile(t.path("pattern").asText());
                } catch (PatternSyntaxException e) {
                    problem.accept(path + ".pattern", "invalid regular expression: " + e.getDescription());
                }
                if (!t.has("pattern")) problem.accept(path + ".pattern", "required");
            }
            case "jsonpath" -> {
                String p = t.path("path").asText("").strip();
                if (p.isEmpty()) problem.accept(path + ".path", "required");
                else {
                    try {
                        JsonPath.compile(p);
                    } catch (InvalidPathException e) {
                        problem.accept(path + ".path", "invalid JSON path " + p + ": " + e.getMessage());
                    }
                }
            }
            case "range" -> {
                JsonNode r = t.path("range");
                if (!r.isArray() || r.size() != 2 || !r.get(0).isNumber() || !r.get(1).isNumber()) {
                    problem.accept(path + ".range", "two numbers [min, max]");
                }
            }
            case "probe" -> problem.accept(path + ".type", "probe tolerances need Chaos Toolkit's python providers; "
                    + "use regex, jsonpath or range");
            default -> problem.accept(path + ".type", "regex, jsonpath or range, was '" + t.path("type").asText() + "'");
        }
    }

    static boolean within(JsonNode t, JsonNode value) {
        if (value == null) value = JSON.nullNode();
        if (t.isBoolean() || t.isTextual()) return t.equals(value);
        if (t.isIntegralNumber()) {
            JsonNode v = value.has("status") ? value.get("status") : value;
            return v.isNumber() && v.asLong() == t.asLong();
        }
        if (t.isArray()) {
            if (value.isObject() && value.has("status")) return contains((ArrayNode) t, value.get("status"));
            if (t.size() == 2 && t.get(0).isNumber() && t.get(1).isNumber() && value.isNumber()) {
                return between(value.decimalValue(), t.get(0), t.get(1));
            }
            return contains((ArrayNode) t, value);
        }
        JsonNode target = t.has("target") && value.has(t.get("target").asText()) ? value.get(t.get("target").asText()) : value;
        return switch (t.path("type").asText()) {
            case "regex" -> Pattern.compile(t.get("pattern").asText()).matcher(target.isTextual() ? target.asText() : target.toString()).find();
            case "jsonpath" -> jsonpath(t, target);
            case "range" -> {
                try {
                    yield between(new BigDecimal(target.asText()), t.get("range").get(0), t.get("range").get(1));
                } catch (NumberFormatException e) {
                    yield false;
                }
            }
            default -> false;
        };
    }

    private static boolean jsonpath(JsonNode t, JsonNode target) {
        JsonNode doc = target;
        if (target.isTextual()) {
            try {
                doc = JSON.readTree(target.asText());
            } catch (Exception e) {
                doc = target;
            }
        }
        Object matches = JsonPath.using(PATHS).parse(doc.toString()).read(t.get("path").asText().strip());
        JsonNode tree = matches == null ? null : JSON.valueToTree(matches);
        ArrayNode found = tree instanceof ArrayNode a ? a : JSON.createArrayNode();
        boolean ok = !found.isEmpty();
        if (t.has("count")) ok = found.size() == t.get("count").asInt();
        if (t.has("expect")) {
            JsonNode expect = t.get("expect");
            ArrayNode want = expect.isArray() ? (ArrayNode) expect : JSON.createArrayNode().add(expect);
            ok = equalValues(found, want);
        }
        return ok;
    }

    /** Numbers compare by value, so that 1 and 1.0 agree as they do in Python. */
    private static boolean equalValues(ArrayNode a, ArrayNode b) {
        if (a.size() != b.size()) return false;
        for (int i = 0; i < a.size(); i++) {
            JsonNode x = a.get(i);
            JsonNode y = b.get(i);
            if (x.isNumber() && y.isNumber()) {
                if (x.decimalValue().compareTo(y.decimalValue()) != 0) return false;
            } else if (!x.equals(y)) {
                return false;
            }
        }
        return true;
    }

    private static boolean contains(ArrayNode list, JsonNode v) {
        for (JsonNode e : list) {
            if (e.isNumber() && v.isNumber() ? e.decimalValue().compareTo(v.decimalValue()) == 0 : e.equals(v)) return true;
        }
        return false;
    }

    private static boolean between(BigDecimal v, JsonNode min, JsonNode max) {
        return min.decimalValue().compareTo(v) <= 0 && v.compareTo(max.decimalValue()) <= 0;
    }
}
