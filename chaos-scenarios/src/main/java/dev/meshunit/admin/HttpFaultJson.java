package dev.meshunit.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshunit.config.load.internal.Durations;
import dev.meshunit.fault.Fault;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The {@code http} field of an admin fault: an answer the proxy breaks itself, as {@code @InjectHttpFault} and
 * {@code mesh.faults().inject(..)} take it: {@code {"kind":"truncated_body","length":100,"bytes":40}}. Kinds are the
 * journal's {@code fault.http} names; attributes as the annotation's ({@code status}, {@code length}, {@code bytes},
 * {@code interval}).
 */
final class HttpFaultJson {
    private static final Map<String, List<String>> KINDS = Map.of(
            "reset_before_answer", List.of(), "reset_after_headers", List.of("status"), "empty_response", List.of(),
            "malformed_status_line", List.of(), "truncated_body", List.of("length", "bytes"),
            "slow_body", List.of("length", "bytes", "interval"));

    private HttpFaultJson() {}

    /** @throws IllegalArgumentException naming the field and what is allowed */
    static Fault.Broken parse(JsonNode h) {
        if (!h.isObject() || !h.hasNonNull("kind") || !KINDS.containsKey(h.get("kind").asText())) {
            throw new IllegalArgumentException("http: {\"kind\": ...} with kind one of " + String.join(", ", KINDS.keySet().stream().sorted().toList()));
        }
        String kind = h.get("kind").asText();
        List<String> takes = KINDS.get(kind);
        for (Iterator<String> it = h.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!f.equals("kind") && !takes.contains(f)) {
                throw new IllegalArgumentException("http: " + kind + " takes " + (takes.isEmpty() ? "no attribute" : String.join(", ", takes))
                        + ", not " + f);
            }
        }
        return switch (kind) {
            case "reset_before_answer" -> new Fault.ResetBeforeAnswer();
            case "reset_after_headers" -> new Fault.ResetAfterHeaders(h.hasNonNull("status") ? number(h, "status") : 200);
            case "empty_response" -> new Fault.EmptyResponse();
            case "malformed_status_line" -> new Fault.MalformedStatusLine();
            case "truncated_body" -> new Fault.TruncatedBody(number(h, "length"), number(h, "bytes"));
            default -> new Fault.SlowBody(number(h, "length"), number(h, "bytes"), interval(h));
        };
    }

    static ObjectNode write(Fault.Broken b) {
        ObjectNode n = JsonNodeFactory.instance.objectNode().put("kind", b.marker());
        if (b instanceof Fault.ResetAfterHeaders r) n.put("status", r.status());
        if (b instanceof Fault.TruncatedBody t) n.put("length", t.declaredLength()).put("bytes", t.sentLength());
        if (b instanceof Fault.SlowBody s) {
            n.put("length", s.length()).put("bytes", s.bytesPerInterval()).put("interval", Durations.format(s.interval()));
        }
        return n;
    }

    private static int number(JsonNode h, String field) {
        JsonNode v = h.get(field);
        if (v == null || !v.canConvertToInt()) throw new IllegalArgumentException("http." + field + ": a whole number, required");
        return v.asInt();
    }

    private static java.time.Duration interval(JsonNode h) {
        JsonNode v = h.get("interval");
        if (v == null || !v.isTextual()) throw new IllegalArgumentException("http.interval: a duration such as \"50ms\", required");
        try {
            return Durations.parse(v.asText());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("http.interval: " + e.getMessage());
        }
    }
}
