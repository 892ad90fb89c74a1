package dev.meshunit.chaos.experiment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Chaos Toolkit's {@code http} provider: {@code url}, {@code method} (GET), {@code headers}, {@code arguments}
 * (query parameters for GET; a JSON body when {@code Content-Type} is {@code application/json}; a form for other
 * objects; a string is sent as it is), {@code timeout} (seconds or [connect, read]; 30 s when not given, so a run
 * cannot hang). Output {@code {status, headers, body}}, the body parsed when the answer is JSON. Any answer is a
 * success, as in Chaos Toolkit; no connection or a timeout is a failure.
 */
final class HttpProvider {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    JsonNode run(JsonNode p) throws ActivityFailed {
        String method = p.path("method").asText("GET").toUpperCase(Locale.ROOT);
        String url = p.path("url").asText();
        JsonNode args = p.get("arguments");
        String contentType = header(p.path("headers"), "content-type");
        HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.noBody();
        String formType = null;
        if (args != null && !args.isNull()) {
            if (method.equals("GET")) {
                url += (url.contains("?") ? "&" : "?") + form(args);
            } else if ("application/json".equals(contentType)) {
                body = HttpRequest.BodyPublishers.ofString(args.toString());
            } else if (args.isTextual()) {
                body = HttpRequest.BodyPublishers.ofString(args.asText());
            } else {
                body = HttpRequest.BodyPublishers.ofString(form(args));
                formType = "application/x-www-form-urlencoded";
            }
        }
        HttpRequest.Builder b;
        try {
            b = HttpRequest.newBuilder(URI.create(url)).method(method, body).timeout(timeout(p.get("timeout")));
        } catch (IllegalArgumentException e) {
            throw new ActivityFailed("invalid url " + url + ": " + e.getMessage());
        }
        if (formType != null && contentType == null) b.header("Content-Type", formType);
        for (Iterator<Map.Entry<String, JsonNode>> it = p.path("headers").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> h = it.next();
            b.header(h.getKey(), h.getValue().asText());
        }
        HttpResponse<String> r;
        try {
            r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            throw new ActivityFailed("activity took too long to complete (" + url + ")");
        } catch (IOException e) {
            throw new ActivityFailed("failed to connect to " + url + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ActivityFailed("interrupted calling " + url);
        }
        ObjectNode out = JSON.createObjectNode();
        out.put("status", r.statusCode());
        ObjectNode headers = out.putObject("headers");
        r.headers().map().forEach((k, v) -> headers.put(k, String.join(", ", v)));
        out.set("body", body(r));
        return out;
    }

    private static JsonNode body(HttpResponse<String> r) {
        String type = r.headers().firstValue("content-type").orElse("");
        if (type.startsWith("application/json")) {
            try {
                return JSON.readTree(r.body());
            } catch (JsonProcessingException e) {
                return TextNode.valueOf(r.body());
            }
        }
        return TextNode.valueOf(r.body());
    }

    private static Duration timeout(JsonNode t) {
        if (t == null || t.isNull()) return Duration.ofSeconds(30);
        double seconds = t.isArray() ? t.get(0).asDouble() + t.get(1).asDouble() : t.asDouble();
        return Duration.ofMillis(Math.max(1, (long) (seconds * 1000)));
    }

    private static String header(JsonNode headers, String name) {
        for (Iterator<Map.Entry<String, JsonNode>> it = headers.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> h = it.next();
            if (h.getKey().equalsIgnoreCase(name)) return h.getValue().asText();
        }
        return null;
    }

    private static String form(JsonNode args) {
        if (args.isTextual()) return args.asText();
        List<String> pairs = new ArrayList<>();
        args.fields().forEachRemaining(e -> pairs.add(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString(), StandardCharsets.UTF_8)));
        return String.join("&", pairs);
    }
}
