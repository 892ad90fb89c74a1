package dev.meshunit.chaos.internal.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshunit.chaos.ChaosException;
import dev.meshunit.chaos.Direction;
import dev.meshunit.chaos.ProxyInfo;
import dev.meshunit.chaos.ProxyUpdate;
import dev.meshunit.chaos.Toxic;
import dev.meshunit.chaos.ToxicProxyServer;
import dev.meshunit.chaos.ToxicSpec;
import java.util.List;
import java.util.Map;

/** Toxiproxy's routes (api.go) over a {@link ToxicProxyServer}, plus {@code GET /meshunit/journal}. */
public final class ApiRouter {
    static final String VERSION = "2.12.0";

    private final ToxicProxyServer server;
    private final ApiJson json = new ApiJson();

    public ApiRouter(ToxicProxyServer server) {
        this.server = server;
    }

    public ApiResponse handle(String method, String path, String body) {
        try {
            return route(method, path, body);
        } catch (ChaosException e) {
            return error(e.status(), e.getMessage());
        } catch (RuntimeException e) {
            return error(500, String.valueOf(e.getMessage()));
        }
    }

    private ApiResponse route(String method, String path, String body) {
        String[] parts = path.replaceAll("^/+|/+$", "").split("/", -1);
        if (parts.length == 1 && parts[0].equals("version")) {
            return only(method, "GET", () -> new ApiResponse(200, "{\"version\": \"" + VERSION + "\"}\n"));
        }
        if (parts.length == 1 && parts[0].equals("reset")) {
            return only(method, "POST", () -> {
                server.reset();
                return ApiResponse.noContent();
            });
        }
        if (parts.length == 1 && parts[0].equals("populate")) {
            return only(method, "POST", () -> populate(json.parse(body)));
        }
        if (parts.length == 2 && parts[0].equals("meshunit") && parts[1].equals("journal")) {
            return only(method, "GET", this::journal);
        }
        if (parts.length >= 1 && parts[0].equals("proxies")) {
            return proxies(method, parts, body);
        }
        return error(404, "404 page not found");
    }

    private ApiResponse proxies(String method, String[] parts, String body) {
        switch (parts.length) {
            case 1:
                return method.equals("GET") ? listProxies()
                        : only(method, "POST", () -> createProxy(json.parse(body)));
            case 2:
                return proxy(method, parts[1], body);
            case 3:
                if (!parts[2].equals("toxics")) {
                    break;
                }
                return method.equals("GET") ? toxicList(server.toxics(parts[1]))
                        : only(method, "POST", () -> ok(json.toxic(createToxic(parts[1], json.parse(body)))));
            case 4:
                if (!parts[2].equals("toxics")) {
                    break;
                }
                return toxic(method, parts[1], parts[3], body);
            default:
                break;
        }
        return error(404, "404 page not found");
    }

    private ApiResponse proxy(String method, String name, String body) {
        switch (method) {
            case "GET":
                return ok(json.proxy(server.proxy(name).orElseThrow(() -> ChaosException.notFound("proxy not found"))));
            case "POST":
            case "PATCH":
                if (server.proxy(name).isEmpty()) {
                    throw ChaosException.notFound("proxy not found");
                }
                JsonNode update = json.parse(body);
                Boolean enabled = update.hasNonNull("enabled") ? update.get("enabled").asBoolean() : null;
                return ok(json.proxy(server.updateProxy(name,
                        new ProxyUpdate(ApiJson.text(update, "listen"), ApiJson.text(update, "upstream"), enabled))));
            case "DELETE":
                server.deleteProxy(name);
                return ApiResponse.noContent();
            default:
                return error(405, "method not allowed");
        }
    }

    private ApiResponse toxic(String method, String proxy, String toxicName, String body) {
        switch (method) {
            case "GET":
                return ok(json.toxic(server.toxic(proxy, toxicName)));
            case "POST":
            case "PATCH":
                server.toxic(proxy, toxicName);
                JsonNode update = json.parse(body);
                return ok(json.toxic(server.updateToxic(proxy, toxicName, old -> {
                    Map<String, Long> merged = ApiJson.longs(update.get("attributes"), ToxicCodec.attributes(old.toxic()));
                    float toxicity = update.hasNonNull("toxicity") ? toxicity(update) : old.toxicity();
                    return old.withToxic(ToxicCodec.toxic(old.toxic().type(), merged), toxicity);
                })));
            case "DELETE":
                server.removeToxic(proxy, toxicName);
                return ApiResponse.noContent();
            default:
                return error(405, "method not allowed");
        }
    }

    private ApiResponse listProxies() {
        ObjectNode all = json.object();
        server.proxies().forEach(p -> all.set(p.name(), json.proxy(p)));
        return ok(all);
    }

    private ApiResponse createProxy(JsonNode body) {
        requireObject(body);
        ProxyInfo created = server.createProxy(ApiJson.text(body, "name"), ApiJson.text(body, "listen"),
                ApiJson.text(body, "upstream"), !body.hasNonNull("enabled") || body.get("enabled").asBoolean());
        return new ApiResponse(201, json.write(json.proxy(created)));
    }

    private ApiResponse populate(JsonNode body) {
        if (!body.isArray()) {
            throw ChaosException.badRequest("bad request body: expected an array of proxies");
        }
        for (int i = 0; i < body.size(); i++) {
            JsonNode entry = body.get(i);
            requireObject(entry);
            for (String field : List.of("name", "upstream")) {
                if (ApiJson.text(entry, field) == null || ApiJson.text(entry, field).isEmpty()) {
                    ObjectNode error = json.error(400, "missing required field: " + field + " at proxy " + (i + 1));
                    error.putNull("proxies");
                    return new ApiResponse(400, json.write(error));
                }
            }
        }
        ArrayNode done = json.array();
        for (JsonNode entry : body) {
            try {
                done.add(json.proxy(populateOne(entry)));
            } catch (ChaosException e) {
                ObjectNode error = json.error(e.status(), e.getMessage());
                error.set("proxies", done);
                return new ApiResponse(e.status(), json.write(error));
            }
        }
        ObjectNode result = json.object();
        result.set("proxies", done);
        return new ApiResponse(201, json.write(result));
    }

    private ProxyInfo populateOne(JsonNode entry) {
        String name = ApiJson.text(entry, "name");
        String listen = ApiJson.text(entry, "listen");
        String upstream = ApiJson.text(entry, "upstream");
        var existing = server.proxy(name);
        if (existing.isPresent() && existing.get().upstream().equals(upstream)
                && (listen == null || existing.get().listen().equals(listen))) {
            return existing.get();
        }
        if (existing.isPresent()) {
            server.deleteProxy(name);
        }
        return server.createProxy(name, listen, upstream, !entry.hasNonNull("enabled") || entry.get("enabled").asBoolean());
    }

    private ToxicSpec createToxic(String proxy, JsonNode body) {
        requireObject(body);
        server.proxy(proxy).orElseThrow(() -> ChaosException.notFound("proxy not found"));
        String type = ApiJson.text(body, "type");
        Toxic zero = ToxicCodec.toxic(type, Map.of());
        Toxic toxic = ToxicCodec.toxic(type, ApiJson.longs(body.get("attributes"), ToxicCodec.attributes(zero)));
        String stream = ApiJson.text(body, "stream");
        Direction direction = stream == null || stream.isEmpty() ? Direction.DOWNSTREAM : Direction.parse(stream);
        float toxicity = body.hasNonNull("toxicity") ? toxicity(body) : 1f;
        return server.addToxic(proxy, new ToxicSpec(ApiJson.text(body, "name"), direction, toxicity, toxic));
    }

    private static float toxicity(JsonNode body) {
        if (!body.get("toxicity").isNumber()) {
            throw ChaosException.badRequest("bad request body: toxicity must be a number");
        }
        return (float) body.get("toxicity").asDouble();
    }

    private ApiResponse toxicList(List<ToxicSpec> toxics) {
        ArrayNode array = json.array();
        toxics.forEach(t -> array.add(json.toxic(t)));
        return ok(array);
    }

    private ApiResponse journal() {
        ArrayNode array = json.array();
        server.journal().connections().forEach(c -> array.add(json.connection(c)));
        return ok(array);
    }

    private static void requireObject(JsonNode body) {
        if (!body.isObject()) {
            throw ChaosException.badRequest("bad request body: expected a JSON object");
        }
    }

    private ApiResponse only(String method, String allowed, java.util.function.Supplier<ApiResponse> action) {
        return method.equals(allowed) ? action.get() : error(405, "method not allowed");
    }

    private ApiResponse ok(JsonNode node) {
        return new ApiResponse(200, json.write(node));
    }

    private ApiResponse error(int status, String message) {
        return new ApiResponse(status, json.write(json.error(status, message)));
    }
}
