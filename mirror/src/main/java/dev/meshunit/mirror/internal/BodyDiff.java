package dev.meshunit.mirror.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshunit.mirror.Difference;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Differences between two bodies: field by field with JSON paths when both are JSON, line by line otherwise.
 */
public final class BodyDiff {
    private static final ObjectMapper JSON = new ObjectMapper();

    private BodyDiff() {}

    public static List<Difference> diff(String primary, String candidate) {
        List<Difference> out = new ArrayList<>();
        if (primary.equals(candidate)) return out;
        JsonNode a = parse(primary);
        JsonNode b = a == null ? null : parse(candidate);
        if (a != null && b != null) {
            json(a, b, "$", out);
        } else {
            TextDiff.lines(primary, candidate, out);
        }
        return out;
    }

    private static JsonNode parse(String body) {
        String t = body.strip();
        if (!(t.startsWith("{") || t.startsWith("["))) return null;
        try {
            return JSON.readTree(t);
        } catch (IOException e) {
            return null;
        }
    }

    static void json(JsonNode a, JsonNode b, String path, List<Difference> out) {
        if (a.isObject() && b.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = a.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                String p = JsonPaths.field(path, f.getKey());
                JsonNode other = b.get(f.getKey());
                if (other == null) out.add(new Difference(Difference.Kind.BODY, p, render(f.getValue()), Difference.ABSENT));
                else json(f.getValue(), other, p, out);
            }
            for (Iterator<String> it = b.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                if (!a.has(name)) {
                    out.add(new Difference(Difference.Kind.BODY, JsonPaths.field(path, name), Difference.ABSENT, render(b.get(name))));
                }
            }
        } else if (a.isArray() && b.isArray()) {
            int n = Math.max(a.size(), b.size());
            for (int i = 0; i < n; i++) {
                String p = JsonPaths.index(path, i);
                if (i >= b.size()) out.add(new Difference(Difference.Kind.BODY, p, render(a.get(i)), Difference.ABSENT));
                else if (i >= a.size()) out.add(new Difference(Difference.Kind.BODY, p, Difference.ABSENT, render(b.get(i))));
                else json(a.get(i), b.get(i), p, out);
            }
        } else if (!sameValue(a, b)) {
            out.add(new Difference(Difference.Kind.BODY, path, render(a), render(b)));
        }
    }

    private static boolean sameValue(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) return a.decimalValue().compareTo(b.decimalValue()) == 0;
        return a.equals(b);
    }

    private static String render(JsonNode n) {
        String s = n.toString();
        return s.length() > 200 ? s.substring(0, 197) + "..." : s;
    }
}
