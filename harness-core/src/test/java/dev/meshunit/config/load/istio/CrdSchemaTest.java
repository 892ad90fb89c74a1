package dev.meshunit.config.load.istio;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.meshunit.config.load.ConfigLoader;
import dev.meshunit.config.load.Problem;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The model against Istio's published CRD schemas (test data): for every object in the schema of
 * VirtualService, DestinationRule, ServiceEntry and WorkloadEntry, the loader must accept exactly the
 * schema's field names there. It asks the loader itself: an unknown field at that place is answered with
 * the list of allowed names. The next API change shows up here as a failing test.
 */
class CrdSchemaTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROBE = "zzzProbe";

    /**
     * Objects MeshUnit keeps as written (not bound field by field), and why: they are validated as Istio does
     * and named in the not-acted-on warnings.
     */
    static final Map<String, String> KEPT_AS_WRITTEN = Map.of(
            "localityLbSetting", "localities are not simulated; validated as Istio does (LocalityChecks)",
            "zoneAwareLbSetting", "localities are not simulated; validated as Istio does (LocalityChecks)");

    record Difference(String kind, String path, Set<String> missing, Set<String> extra) {}

    @Test
    void theModelHasEveryFieldOfIstiosCrdsAndNoOther() throws IOException {
        List<Difference> differences = new ArrayList<>();
        List<String> opaque = new ArrayList<>();
        int objects = 0;
        for (JsonNode crd : crds()) {
            String kind = crd.at("/spec/names/kind").asText();
            JsonNode spec = crd.at("/spec/versions/0/schema/openAPIV3Schema/properties/spec");
            List<Object[]> places = new ArrayList<>();
            walk(spec, new ArrayList<>(), places);
            for (Object[] place : places) {
                @SuppressWarnings("unchecked")
                List<String> path = (List<String>) place[0];
                Set<String> crdFields = new TreeSet<>();
                // protobuf's JSON names: mirror_percent is read as mirrorPercent
                ((JsonNode) place[1]).get("properties").fieldNames().forEachRemaining(n -> crdFields.add(camel(n)));
                Set<String> allowed = allowed(kind, path);
                objects++;
                if (allowed == null) {
                    opaque.add(kind + " " + String.join(".", path));
                    continue;
                }
                Set<String> missing = new TreeSet<>(crdFields);
                missing.removeAll(allowed);
                Set<String> extra = new TreeSet<>(allowed);
                extra.removeAll(crdFields);
                if (!missing.isEmpty() || !extra.isEmpty()) differences.add(new Difference(kind, String.join(".", path), missing, extra));
            }
        }
        assertThat(objects).isGreaterThan(100);
        assertThat(differences).as("fields that differ from Istio's CRD schema").isEmpty();
        assertThat(opaque).as("objects the loader does not bind field by field")
                .allSatisfy(p -> assertThat(KEPT_AS_WRITTEN).containsKey(p.substring(p.lastIndexOf('.') + 1)));
    }

    private static String camel(String name) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '_' && i + 1 < name.length()) b.append(Character.toUpperCase(name.charAt(++i)));
            else b.append(c);
        }
        return b.toString();
    }

    private static List<JsonNode> crds() throws IOException {
        List<JsonNode> out = new ArrayList<>();
        try (InputStream in = CrdSchemaTest.class.getResourceAsStream("/istio/crds/networking-crds.yaml")) {
            var parser = YAML.getFactory().createParser(in);
            var it = YAML.readValues(parser, JsonNode.class);
            while (it.hasNext()) {
                JsonNode d = it.next();
                if (d != null && d.has("spec")) out.add(d);
            }
        }
        return out;
    }

    /** Every object with properties, by path: a field name, "[]" for a list item, "{}" for a map value. */
    private static void walk(JsonNode schema, List<String> path, List<Object[]> out) {
        if (schema.has("properties")) {
            out.add(new Object[] {List.copyOf(path), schema});
            schema.get("properties").fields().forEachRemaining(e -> {
                if (KEPT_AS_WRITTEN.containsKey(e.getKey()) && e.getValue().has("properties")) {
                    out.add(new Object[] {plus(path, e.getKey()), e.getValue()});
                    return;
                }
                walk(e.getValue(), plus(path, e.getKey()), out);
            });
        }
        if (schema.has("items")) walk(schema.get("items"), plus(path, "[]"), out);
        if (schema.has("additionalProperties") && schema.get("additionalProperties").isObject()) {
            walk(schema.get("additionalProperties"), plus(path, "{}"), out);
        }
    }

    private static List<String> plus(List<String> path, String segment) {
        List<String> p = new ArrayList<>(path);
        p.add(segment);
        return p;
    }

    /** The names the loader allows at {@code path}, from its unknown-field error; null when it does not look inside. */
    private static Set<String> allowed(String kind, List<String> path) throws IOException {
        ObjectNode doc = JSON.createObjectNode();
        doc.put("apiVersion", "networking.istio.io/v1");
        doc.put("kind", kind);
        doc.putObject("metadata").put("name", "probe");
        JsonNode at = doc;
        String field = "spec";
        for (String segment : path) {
            at = child(at, field, segment);
            field = segment;
        }
        ObjectNode leaf = (ObjectNode) child(at, field, "");
        leaf.put(PROBE, 1);
        String text = JSON.writeValueAsString(doc);
        for (Problem p : ConfigLoader.create().loadString("probe.json", text).problems()) {
            String m = p.message();
            if (m.startsWith("unknown field \"" + PROBE + "\"; allowed: ")) {
                return new TreeSet<>(Arrays.asList(m.substring(m.indexOf("allowed: ") + 9).split(", ")));
            }
        }
        return null;
    }

    /** The container that {@code field} of {@code parent} holds, created for the next segment. */
    private static JsonNode child(JsonNode parent, String field, String next) {
        JsonNode container;
        if (next.equals("[]")) container = JSON.createArrayNode();
        else container = JSON.createObjectNode();
        if (field.equals("[]")) ((ArrayNode) parent).add(container);
        else if (field.equals("{}")) ((ObjectNode) parent).set("k", container);
        else ((ObjectNode) parent).set(field, container);
        return container;
    }
}
