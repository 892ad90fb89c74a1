package dev.meshunit.chaos.internal.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshunit.chaos.ChaosException;
import dev.meshunit.chaos.ProxyInfo;
import dev.meshunit.chaos.TcpConnectionRecord;
import dev.meshunit.chaos.ToxicSpec;
import java.io.UncheckedIOException;
import java.util.Map;

/** Toxiproxy's JSON shapes, field order included (Go struct order). */
final class ApiJson {
    private final ObjectMapper mapper = new ObjectMapper();

    JsonNode parse(String body) {
        try {
            return mapper.readTree(body.isEmpty() ? "{}" : body);
        } catch (JsonProcessingException e) {
            throw ChaosException.badRequest("bad request body: " + e.getOriginalMessage());
        }
    }

    ObjectNode object() {
        return mapper.createObjectNode();
    }

    ArrayNode array() {
        return mapper.createArrayNode();
    }

    ObjectNode proxy(ProxyInfo proxy) {
        ObjectNode node = object()
                .put("name", proxy.name())
                .put("listen", proxy.listen())
                .put("upstream", proxy.upstream())
                .put("enabled", proxy.enabled());
        ArrayNode toxics = node.putArray("toxics");
        proxy.toxics().forEach(t -> toxics.add(toxic(t)));
        return node;
    }

    ObjectNode toxic(ToxicSpec toxic) {
        ObjectNode node = object();
        ObjectNode attributes = node.putObject("attributes");
        ToxicCodec.attributes(toxic.toxic()).forEach(attributes::put);
        node.put("name", toxic.name()).put("type", toxic.toxic().type()).put("stream", toxic.stream().wireName());
        if (toxic.toxicity() == Math.rint(toxic.toxicity())) {
            node.put("toxicity", (long) toxic.toxicity());
        } else {
            node.put("toxicity", toxic.toxicity());
        }
        return node;
    }

    ObjectNode connection(TcpConnectionRecord record) {
        ObjectNode node = object()
                .put("id", record.id())
                .put("proxy", record.proxy())
                .put("client", record.client())
                .put("upstream", record.upstream())
                .put("start", record.start().toString())
                .put("end", record.end() == null ? null : record.end().toString())
                .put("bytes_up", record.bytesUp())
                .put("bytes_down", record.bytesDown());
        ArrayNode toxics = node.putArray("toxics");
        record.toxicsApplied().forEach(toxics::add);
        node.put("end_reason", record.endReason() == null ? null : record.endReason().name().toLowerCase());
        return node;
    }

    ObjectNode error(int status, String message) {
        return object().put("error", message).put("status", status);
    }

    String write(JsonNode node) {
        try {
            return mapper.writeValueAsString(node) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw ChaosException.badRequest("bad request body: " + field + " must be a string");
        }
        return value.asText();
    }

    static Map<String, Long> longs(JsonNode attributes, Map<String, Long> into) {
        if (attributes == null || attributes.isNull()) {
            return into;
        }
        if (!attributes.isObject()) {
            throw ChaosException.badRequest("bad request body: attributes must be an object");
        }
        attributes.properties().forEach(e -> {
            if (into.containsKey(e.getKey())) {
                if (!e.getValue().isNumber()) {
                    throw ChaosException.badRequest("bad request body: attribute " + e.getKey() + " must be a number");
                }
                into.put(e.getKey(), e.getValue().asLong());
            }
        });
        return into;
    }
}
