package dev.meshunit.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshunit.config.load.internal.Durations;
import dev.meshunit.fault.CallKey;
import dev.meshunit.fault.Fault;
import dev.meshunit.fault.FaultMatch;
import dev.meshunit.fault.FaultOverride;
import dev.meshunit.fault.FaultTrigger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * A fault override as the admin API writes it, the JSON twin of {@code mesh.faults()}:
 * {@code {"host":"ratings","subset":"v1","pathPrefix":"/r","header":"x-user=jason","delay":"2s","abort":503 | "grpcStatus":"UNAVAILABLE",
 * "percentage":50 | "requests":[3,"10-20"] | "firstAttempts":2,"callKey":"methodAndPath"}}.
 * An HTTP-level fault is {@code "http":{"kind":"truncated_body","length":100,"bytes":40}} ({@link HttpFaultJson}).
 * {@code host} and one of {@code delay}/{@code abort}/{@code grpcStatus}/{@code http} are required; without a trigger every matching request is hit.
 */
final class FaultJson {
    static final Set<String> FIELDS = Set.of("id", "host", "subset", "pathPrefix", "header", "delay", "abort", "grpcStatus",
            "http", "percentage", "requests", "firstAttempts", "callKey");
    private static final String KEYS = "methodAndPath, methodPathAndBody or header:NAME";

    private FaultJson() {}

    /** @throws IllegalArgumentException naming the field and what is allowed */
    static FaultOverride parse(JsonNode n) {
        if (!n.isObject()) throw new IllegalArgumentException("a fault is a JSON object, was " + n.getNodeType());
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw new IllegalArgumentException("unknown field '" + f + "' (allowed: " + String.join(", ", sorted()) + ")");
            }
        }
        FaultMatch match = FaultMatch.host(text(n, "host", true));
        if (n.has("subset")) match = match.withSubset(text(n, "subset", true));
        if (n.has("pathPrefix")) match = match.withPathPrefix(text(n, "pathPrefix", true));
        if (n.has("header")) match = match.withHeader(header(n.get("header")));
        return new FaultOverride(match, fault(n), trigger(n));
    }

    private static List<String> sorted() {
        return FIELDS.stream().filter(f -> !f.equals("id")).sorted().toList();
    }

    private static String header(JsonNode h) {
        if (h.isTextual()) return h.asText();
        if (h.isObject() && h.has("name") && h.has("value")) return h.get("name").asText() + "=" + h.get("value").asText();
        throw new IllegalArgumentException("header: \"name=value\" or {\"name\":..., \"value\":...}");
    }

    private static Fault fault(JsonNode n) {
        if (n.has("http")) {
            if (n.has("abort") || n.has("delay") || n.has("grpcStatus")) {
                throw new IllegalArgumentException("http: give it alone, without abort, delay or grpcStatus");
            }
            return HttpFaultJson.parse(n.get("http"));
        }
        if (n.has("grpcStatus")) {
            if (n.has("abort") || n.has("delay")) throw new IllegalArgumentException("grpcStatus: give it alone, without abort or delay");
            return Fault.grpcAbort(text(n, "grpcStatus", true));
        }
        Duration delay = n.has("delay") ? duration(n.get("delay")) : null;
        Integer abort = null;
        if (n.has("abort")) {
            if (!n.get("abort").canConvertToInt()) throw new IllegalArgumentException("abort: an HTTP status 200-599");
            abort = n.get("abort").asInt();
        }
        if (delay == null && abort == null) throw new IllegalArgumentException("give delay, abort or both (or alone grpcStatus or http)");
        if (delay == null) return Fault.abort(abort);
        if (abort == null) return Fault.delay(delay);
        return new Fault.DelayThenAbort(delay, abort);
    }

    private static Duration duration(JsonNode d) {
        if (!d.isTextual()) throw new IllegalArgumentException("delay: a duration such as \"2s\" or \"250ms\"");
        try {
            return Durations.parse(d.asText());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("delay: " + e.getMessage() + " (a duration such as \"2s\" or \"250ms\")");
        }
    }

    private static FaultTrigger trigger(JsonNode n) {
        int given = (n.has("percentage") ? 1 : 0) + (n.has("requests") ? 1 : 0) + (n.has("firstAttempts") ? 1 : 0);
        if (given > 1) throw new IllegalArgumentException("give at most one of percentage, requests, firstAttempts");
        if (n.has("callKey") && !n.has("firstAttempts")) throw new IllegalArgumentException("callKey needs firstAttempts");
        if (n.has("percentage")) {
            JsonNode p = n.get("percentage");
            if (p.isObject() && p.has("value")) p = p.get("value"); // Istio's {value: 50}
            if (!p.isNumber()) throw new IllegalArgumentException("percentage: a number 0-100");
            return new FaultTrigger.Percentage(p.asDouble());
        }
        if (n.has("requests")) return requests(n.get("requests"));
        if (n.has("firstAttempts")) {
            if (!n.get("firstAttempts").canConvertToInt()) throw new IllegalArgumentException("firstAttempts: a number >= 1");
            return new FaultTrigger.FirstAttempts(n.get("firstAttempts").asInt(), callKey(n.get("callKey")));
        }
        return FaultTrigger.ALWAYS;
    }

    private static FaultTrigger requests(JsonNode r) {
        if (!r.isArray() || r.isEmpty()) throw new IllegalArgumentException("requests: a list of numbers and \"first-last\" ranges");
        List<FaultTrigger.Range> ranges = new ArrayList<>();
        for (JsonNode e : r) {
            String s = e.asText();
            int dash = s.indexOf('-');
            try {
                long first = Long.parseLong(dash < 0 ? s : s.substring(0, dash).strip());
                long last = dash < 0 ? first : Long.parseLong(s.substring(dash + 1).strip());
                ranges.add(new FaultTrigger.Range(first, last));
            } catch (NumberFormatException ex) {
                throw new IllegalArgumentException("requests: '" + s + "' is neither a number nor \"first-last\"");
            }
        }
        return new FaultTrigger.Requests(ranges);
    }

    private static CallKey callKey(JsonNode k) {
        if (k == null || k.isNull()) return CallKey.methodAndPath();
        String s = k.asText();
        if (s.equals("methodAndPath")) return CallKey.methodAndPath();
        if (s.equals("methodPathAndBody")) return CallKey.methodPathAndBody();
        if (s.startsWith("header:") && s.length() > "header:".length()) return CallKey.header(s.substring("header:".length()));
        throw new IllegalArgumentException("callKey: " + KEYS + ", was '" + s + "'");
    }

    private static String text(JsonNode n, String field, boolean required) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            if (required) throw new IllegalArgumentException(field + ": required");
            return null;
        }
        if (!v.isTextual() || v.asText().isBlank()) throw new IllegalArgumentException(field + ": a non-empty string");
        return v.asText();
    }

    /** The override as the API shows it, with its id. */
    static ObjectNode write(String id, FaultOverride o) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("id", id);
        FaultMatch m = o.match();
        n.put("host", m.host());
        if (m.subset() != null) n.put("subset", m.subset());
        if (m.pathPrefix() != null) n.put("pathPrefix", m.pathPrefix());
        if (m.headerName() != null) n.put("header", m.headerName() + "=" + m.headerValue());
        if (o.fault() instanceof Fault.Delay d) n.put("delay", Durations.format(d.delay()));
        if (o.fault() instanceof Fault.Abort a) n.put("abort", a.status());
        if (o.fault() instanceof Fault.GrpcAbort g) n.put("grpcStatus", g.grpcStatus());
        if (o.fault() instanceof Fault.Broken b) n.set("http", HttpFaultJson.write(b));
        if (o.fault() instanceof Fault.DelayThenAbort da) {
            n.put("delay", Durations.format(da.delay()));
            n.put("abort", da.status());
        }
        FaultTrigger t = o.trigger();
        if (t instanceof FaultTrigger.Percentage p && p.percent() < 100) n.put("percentage", p.percent());
        if (t instanceof FaultTrigger.Requests r) {
            r.ranges().forEach(range -> n.withArray("requests").add(range.toString()));
        }
        if (t instanceof FaultTrigger.FirstAttempts f) {
            n.put("firstAttempts", f.attempts());
            n.put("callKey", callKeyName(f.key()));
        }
        return n;
    }

    private static String callKeyName(CallKey k) {
        if (k instanceof CallKey.Header h) return "header:" + h.name();
        return k instanceof CallKey.MethodPathAndBody ? "methodPathAndBody" : "methodAndPath";
    }
}
