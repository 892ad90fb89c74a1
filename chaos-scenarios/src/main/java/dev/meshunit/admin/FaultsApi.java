package dev.meshunit.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.meshunit.fault.FaultOverride;
import dev.meshunit.fault.FaultOverrides;
import dev.meshunit.fault.FaultRule;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /faults}: the proxy's run-time fault overrides ({@link FaultOverrides}, what {@code mesh.faults()} drives
 * in a JUnit test), listed, added and removed over HTTP. Each added fault gets an id, {@code DELETE /faults/ID}
 * removes it; counting (the n-th request, the first attempts of a call) starts when it is added.
 */
final class FaultsApi {

    private final FaultOverrides faults;
    private final Map<String, FaultRule> byId = new LinkedHashMap<>();
    private long nextId = 1;

    FaultsApi(FaultOverrides faults) {
        this.faults = faults;
    }

    synchronized AdminServer.Reply list() {
        ArrayNode out = AdminJson.mapper().createArrayNode();
        live().forEach((id, rule) -> out.add(FaultJson.write(id, rule.override())));
        return AdminServer.Reply.json(200, out.toString());
    }

    synchronized AdminServer.Reply get(String id) {
        FaultRule rule = live().get(id);
        if (rule == null) return notFound(id);
        return AdminServer.Reply.json(200, FaultJson.write(id, rule.override()).toString());
    }

    /** One fault object, or an array of them added in order (all or none). */
    synchronized AdminServer.Reply add(String body) {
        JsonNode n;
        try {
            n = AdminJson.mapper().readTree(body);
        } catch (JsonProcessingException e) {
            return Replies.error(400, "body is not JSON: " + e.getOriginalMessage());
        }
        if (n == null) return Replies.error(400, "empty body: POST a fault such as {\"host\":\"ratings\",\"abort\":503}");
        List<FaultOverride> parsed = new ArrayList<>();
        List<JsonNode> items = new ArrayList<>();
        if (n.isArray()) n.forEach(items::add);
        else items.add(n);
        for (int i = 0; i < items.size(); i++) {
            try {
                parsed.add(FaultJson.parse(items.get(i)));
            } catch (IllegalArgumentException e) {
                return Replies.error(400, (n.isArray() ? "[" + i + "]: " : "") + e.getMessage());
            }
        }
        ArrayNode added = AdminJson.mapper().createArrayNode();
        for (FaultOverride o : parsed) {
            String id = Long.toString(nextId++);
            FaultRule rule = faults.add(o);
            byId.put(id, rule);
            added.add(FaultJson.write(id, rule.override()));
        }
        return AdminServer.Reply.json(201, (n.isArray() ? added : added.get(0)).toString());
    }

    synchronized AdminServer.Reply remove(String id) {
        FaultRule rule = live().get(id);
        if (rule == null) return notFound(id);
        rule.remove();
        byId.remove(id);
        return Replies.noContent();
    }

    synchronized AdminServer.Reply clear() {
        faults.clear();
        byId.clear();
        return Replies.noContent();
    }

    /** The rules still in force: a fault cleared through the Java API is gone here too. */
    private Map<String, FaultRule> live() {
        Map<FaultOverride, Boolean> inForce = new IdentityHashMap<>();
        faults.list().forEach(o -> inForce.put(o, true));
        byId.values().removeIf(rule -> !inForce.containsKey(rule.override()));
        return byId;
    }

    private static AdminServer.Reply notFound(String id) {
        return Replies.error(404, "no fault with id " + id + " (GET /faults lists them)");
    }
}
