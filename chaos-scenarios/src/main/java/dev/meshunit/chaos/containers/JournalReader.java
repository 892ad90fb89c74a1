package dev.meshunit.chaos.containers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshunit.journal.Attempt;
import dev.meshunit.journal.DestinationRef;
import dev.meshunit.journal.Exchange;
import dev.meshunit.journal.InjectedFault;
import dev.meshunit.journal.RecordedBody;
import dev.meshunit.journal.ResponseFlag;
import dev.meshunit.journal.RouteRef;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The admin API's {@code GET /journal} read back into {@link Exchange}s, so that a MeshUnit running in a
 * container is asserted on with the same {@code MeshAssertions} as the in-process sidecar. What the JSON leaves
 * out (the route's namespace and index) is null and -1.
 */
public final class JournalReader {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JournalReader() {}

    public static List<Exchange> exchanges(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("not a MeshUnit journal: " + e.getMessage(), e);
        }
        List<Exchange> out = new ArrayList<>();
        for (JsonNode e : root) out.add(exchange(e));
        return out;
    }

    private static Exchange exchange(JsonNode e) {
        RouteRef route = e.path("route").isTextual()
                ? new RouteRef(text(e, "virtualService"), null, -1, e.get("route").asText()) : null;
        JsonNode d = e.path("destination");
        DestinationRef dest = d.isObject() ? new DestinationRef(text(d, "host"), text(d, "subset"), d.path("port").asInt()) : null;
        List<Attempt> attempts = new ArrayList<>();
        int n = 1;
        for (JsonNode a : e.path("attempts")) {
            attempts.add(new Attempt(n++, text(a, "endpoint"), a.path("status").asInt(), text(a, "error"), flags(a),
                    a.path("durationMs").asDouble(), text(a, "upstreamPath"), headers(a.path("upstreamHeaders")),
                    body(a.path("requestBody")), body(a.path("responseBody"))));
        }
        Map<String, List<String>> headers = headers(e.path("requestHeaders"));
        return new Exchange(e.path("id").asLong(), Instant.parse(e.path("start").asText()), text(e, "source"), text(e, "method"),
                text(e, "authority"), text(e, "path"), headers, route, dest, attempts,
                new InjectedFault(e.path("fault").path("delayMs").asLong(), e.path("fault").path("abortStatus").asInt()),
                e.path("status").asInt(), flags(e), e.path("durationMs").asDouble());
    }

    private static Map<String, List<String>> headers(JsonNode n) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        n.fields().forEachRemaining(h -> {
            List<String> values = new ArrayList<>();
            h.getValue().forEach(v -> values.add(v.asText()));
            headers.put(h.getKey(), values);
        });
        return headers;
    }

    /** A recorded body, from its text (the JSON keeps bodies as UTF-8 text). */
    private static RecordedBody body(JsonNode b) {
        if (!b.isObject()) return null;
        return new RecordedBody(b.path("text").asText().getBytes(StandardCharsets.UTF_8), b.path("bodyBytes").asLong(),
                b.path("truncated").asBoolean());
    }

    private static Set<ResponseFlag> flags(JsonNode n) {
        Set<ResponseFlag> out = EnumSet.noneOf(ResponseFlag.class);
        n.path("flags").forEach(f -> out.add(ResponseFlag.valueOf(f.asText())));
        return out;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
