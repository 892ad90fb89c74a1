package dev.meshunit.config.load.istio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Istio's validation table cases, converted from its Go tests by {@code tools/istio-cases/convert.py}: the
 * case's name, Istio's verdict, and the input as a whole resource (or why it was skipped).
 */
record IstioCases(String test, List<Case> cases) {
    private static final ObjectMapper JSON = new ObjectMapper();

    record Case(String name, boolean valid, boolean warning, String resource, String skipped) {}

    static IstioCases read(String directory, String test) {
        String name = "/istio/" + directory + "/" + test + ".json";
        try (InputStream in = IstioCases.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("missing test data " + name);
            List<Case> cases = new ArrayList<>();
            for (JsonNode c : JSON.readTree(in)) {
                JsonNode resource = c.get("resource");
                cases.add(new Case(c.get("name").asText(), c.path("valid").asBoolean(true), c.path("warning").asBoolean(false),
                        resource == null ? null : JSON.writerWithDefaultPrettyPrinter().writeValueAsString(expand(resource)),
                        c.hasNonNull("skipped") ? c.get("skipped").asText() : null));
            }
            return new IstioCases(test, cases);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code {"$repeat": "a", "times": 2097152}} keeps Istio's size-limit cases small in the data. */
    private static JsonNode expand(JsonNode n) {
        if (n instanceof ObjectNode o) {
            if (o.has("$repeat")) {
                String text = o.get("$repeat").asText().repeat(o.get("times").asInt());
                return new TextNode(o.path("base64").asBoolean() ? Base64.getEncoder().encodeToString(text.getBytes()) : text);
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                e.setValue(expand(e.getValue()));
            }
        } else if (n instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) a.set(i, expand(a.get(i)));
        }
        return n;
    }
}
