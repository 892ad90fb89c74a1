package dev.meshunit.chaos.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a running MeshUnit's admin API (and its Toxiproxy API) for the timeline: response-flag counts, the faults
 * in force, the toxics. A read that fails gives nothing for that second rather than stopping the run.
 */
public final class AdminProbe {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final URI admin;
    private final URI toxiproxy;

    /** Either may be null. */
    public AdminProbe(URI admin, URI toxiproxy) {
        this.admin = admin;
        this.toxiproxy = toxiproxy;
    }

    public URI admin() {
        return admin;
    }

    Map<String, Long> flags() {
        Map<String, Long> out = new TreeMap<>();
        JsonNode stats = get(admin, "/stats");
        if (stats != null) stats.path("responseFlags").fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asLong()));
        return out;
    }

    List<String> faults() {
        List<String> out = new ArrayList<>();
        JsonNode faults = get(admin, "/faults");
        if (faults != null) faults.forEach(f -> out.add(describe(f)));
        return out;
    }

    /** {@code ratings: delay 2s (50%)}, {@code ratings v1 /r: abort 503 (requests 3-5)}. */
    static String describe(JsonNode f) {
        StringBuilder s = new StringBuilder(f.path("host").asText());
        if (f.has("subset")) s.append(' ').append(f.get("subset").asText());
        if (f.has("pathPrefix")) s.append(' ').append(f.get("pathPrefix").asText());
        if (f.has("header")) s.append(" [").append(f.get("header").asText()).append(']');
        s.append(':');
        if (f.has("delay")) s.append(" delay ").append(f.get("delay").asText());
        if (f.has("abort")) s.append(" abort ").append(f.get("abort").asInt());
        if (f.has("percentage")) s.append(" (").append(f.get("percentage").asDouble()).append("%)");
        if (f.has("requests")) s.append(" (requests ").append(String.join(",", texts(f.get("requests")))).append(')');
        if (f.has("firstAttempts")) s.append(" (first ").append(f.get("firstAttempts").asInt()).append(" attempts)");
        return s.toString();
    }

    List<String> toxics() {
        List<String> out = new ArrayList<>();
        JsonNode proxies = get(toxiproxy, "/proxies");
        if (proxies == null) return out;
        proxies.fields().forEachRemaining(p -> {
            if (!p.getValue().path("enabled").asBoolean(true)) out.add(p.getKey() + ": disabled");
            p.getValue().path("toxics").forEach(t -> out.add(p.getKey() + ": " + t.path("type").asText() + " "
                    + t.path("stream").asText() + " " + t.path("attributes")));
        });
        return out;
    }

    /** The admin journal, for the report; null when there is no admin API. */
    public JsonNode journal() {
        return get(admin, "/journal");
    }

    private JsonNode get(URI base, String path) {
        if (base == null) return null;
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(path.equals("/journal") ? 30 : 2)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
        } catch (Exception e) {
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            return null;
        }
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
