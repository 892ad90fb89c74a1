package dev.meshunit.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshunit.admin.AdminServer;
import dev.meshunit.chaos.ChaosException;
import dev.meshunit.chaos.Direction;
import dev.meshunit.chaos.SidecarToxics;
import dev.meshunit.chaos.Toxic;
import dev.meshunit.chaos.ToxicSpec;
import dev.meshunit.chaos.internal.api.ToxicCodec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code meshunit proxy --sidecar-toxics}: the toxics under the sidecar on the admin API, in Toxiproxy's JSON plus the
 * service: {@code GET /toxics}, {@code POST /toxics/add}, {@code POST /toxics/remove}, {@code POST /toxics/reset}.
 */
final class SidecarToxicsApi {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> FIELDS = Set.of("host", "subset", "name", "type", "stream", "toxicity", "attributes");

    private SidecarToxicsApi() {}

    static void attach(SidecarToxics toxics, AdminServer.Builder admin) {
        admin.endpoint("GET", "/toxics", r -> list(toxics));
        admin.endpoint("POST", "/toxics/add", r -> answer(() -> add(toxics, parse(r.body()))));
        admin.endpoint("POST", "/toxics/remove", r -> answer(() -> {
            JsonNode n = parse(r.body());
            toxics.remove(required(n, "host"), required(n, "name"));
            return new AdminServer.Reply(204, null, "");
        }));
        admin.endpoint("POST", "/toxics/reset", r -> answer(() -> {
            toxics.reset();
            return new AdminServer.Reply(204, null, "");
        }));
    }

    private static AdminServer.Reply list(SidecarToxics toxics) {
        ArrayNode out = JSON.createArrayNode();
        toxics.all().forEach(p -> out.add(write(p.host(), p.subset(), p.toxic())));
        return AdminServer.Reply.json(200, out.toString());
    }

    private static AdminServer.Reply add(SidecarToxics toxics, JsonNode n) {
        for (var it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) throw new IllegalArgumentException("unknown field " + f + " (allowed: " + String.join(", ", FIELDS) + ")");
        }
        String type = required(n, "type");
        Map<String, Long> allowed = ToxicCodec.attributes(ToxicCodec.toxic(type, Map.of()));
        Map<String, Long> attributes = new LinkedHashMap<>();
        JsonNode given = n.path("attributes");
        if (!given.isMissingNode() && !given.isObject()) throw new IllegalArgumentException("attributes must be an object");
        given.properties().forEach(e -> {
            if (!allowed.containsKey(e.getKey())) {
                throw new IllegalArgumentException(type + " has no attribute " + e.getKey() + " (it takes " + String.join(", ", allowed.keySet()) + ")");
            }
            if (!e.getValue().isIntegralNumber()) throw new IllegalArgumentException("attribute " + e.getKey() + " must be a whole number");
            attributes.put(e.getKey(), e.getValue().asLong());
        });
        Toxic toxic = ToxicCodec.toxic(type, attributes);
        Direction stream = n.hasNonNull("stream") ? Direction.parse(n.get("stream").asText()) : Direction.DOWNSTREAM;
        float toxicity = n.hasNonNull("toxicity") ? (float) n.get("toxicity").asDouble() : 1f;
        ToxicSpec spec = new ToxicSpec(n.hasNonNull("name") ? n.get("name").asText() : null, stream, toxicity, toxic);
        String subset = n.hasNonNull("subset") ? n.get("subset").asText() : null;
        String host = required(n, "host");
        toxics.add(host, subset, spec);
        return AdminServer.Reply.json(201, write(host, subset, spec).toString());
    }

    private static ObjectNode write(String host, String subset, ToxicSpec t) {
        ObjectNode o = JSON.createObjectNode().put("host", host).put("subset", subset).put("name", t.name())
                .put("type", t.toxic().type()).put("stream", t.stream().wireName()).put("toxicity", t.toxicity());
        ObjectNode attributes = o.putObject("attributes");
        ToxicCodec.attributes(t.toxic()).forEach(attributes::put);
        return o;
    }

    private interface Action {
        AdminServer.Reply run();
    }

    /** A bad body or a name the config does not declare is a 400 naming it; a conflict or unknown toxic, 409 or 404. */
    private static AdminServer.Reply answer(Action action) {
        try {
            return action.run();
        } catch (ChaosException e) {
            return error(e.status(), e.getMessage());
        } catch (IllegalArgumentException e) {
            return error(400, e.getMessage());
        }
    }

    private static AdminServer.Reply error(int status, String message) {
        return AdminServer.Reply.json(status, JSON.createObjectNode().put("error", message).toString());
    }

    private static JsonNode parse(String body) {
        try {
            JsonNode n = JSON.readTree(body);
            if (n == null || !n.isObject()) throw new IllegalArgumentException("the body must be a JSON object");
            return n;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("body is not JSON: " + e.getOriginalMessage());
        }
    }

    private static String required(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) throw new IllegalArgumentException("missing field " + field);
        return v.asText();
    }
}
