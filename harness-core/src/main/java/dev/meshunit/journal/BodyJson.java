package dev.meshunit.journal;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads a value out of a recorded JSON body by a JSON Pointer ({@code /a/0/b}) or a simple path ({@code $.a[0].b}). */
final class BodyJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern STEP = Pattern.compile("\\.?([^.\\[\\]]+)|\\[(\\d+)]");

    private BodyJson() {}

    /** The value as text (strings unquoted, objects and arrays as JSON), or null when the path selects nothing. */
    static String at(RecordedBody body, String path) {
        JsonNode root;
        try {
            root = MAPPER.readTree(body.bytes());
        } catch (IOException e) {
            throw new IllegalStateException((body.truncated()
                    ? "the recorded body is truncated at " + body.recordedBytes() + " of " + body.totalBytes()
                      + " bytes (raise recordBodies)" : "the recorded body is not JSON") + ": " + e.getMessage().lines().findFirst().orElse(""), e);
        }
        if (root == null) throw new IllegalStateException("the recorded body is empty");
        JsonNode node = root.at(pointer(path));
        if (node.isMissingNode()) return null;
        return node.isValueNode() ? node.asText() : node.toString();
    }

    static JsonPointer pointer(String path) {
        if (path.isEmpty() || path.startsWith("/")) return JsonPointer.compile(path);
        String rest = path.startsWith("$") ? path.substring(1) : path;
        StringBuilder out = new StringBuilder();
        Matcher m = STEP.matcher(rest);
        int end = 0;
        while (m.find() && m.start() == end) {
            String step = m.group(1) != null ? m.group(1) : m.group(2);
            out.append('/').append(step.replace("~", "~0").replace("/", "~1"));
            end = m.end();
        }
        if (end != rest.length()) {
            throw new IllegalArgumentException("bad JSON path '" + path + "' at offset " + (end + path.length() - rest.length())
                    + ": use $.a.b[0] or a JSON Pointer /a/b/0");
        }
        return JsonPointer.compile(out.toString());
    }
}
