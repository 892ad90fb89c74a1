package dev.meshunit.chaos.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Chaos Toolkit's {@code ${name}} substitution from the configuration: a string that is only a placeholder
 * takes the value with its type (a number stays a number); inside a longer string the value is written as text.
 * Unknown names are left as written, as Chaos Toolkit's safe substitution does.
 */
final class Placeholders {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_.-]*)}");

    private final Map<String, JsonNode> values;

    Placeholders(Map<String, JsonNode> values) {
        this.values = Map.copyOf(values);
    }

    JsonNode apply(JsonNode node) {
        if (node == null) return null;
        if (node.isTextual()) return text(node.asText());
        if (node.isObject()) {
            ObjectNode out = ((ObjectNode) node).objectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                out.set(e.getKey(), apply(e.getValue()));
            }
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = ((ArrayNode) node).arrayNode();
            node.forEach(e -> out.add(apply(e)));
            return out;
        }
        return node;
    }

    private JsonNode text(String s) {
        Matcher whole = PLACEHOLDER.matcher(s);
        if (whole.matches() && values.containsKey(whole.group(1))) return values.get(whole.group(1));
        Matcher m = PLACEHOLDER.matcher(s);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            JsonNode v = values.get(m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(v == null ? m.group() : v.asText()));
        }
        m.appendTail(out);
        return TextNode.valueOf(out.toString());
    }
}
