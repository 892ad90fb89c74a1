package dev.meshunit.chaos.scenarios;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;

/**
 * A scenario as a Chaos Toolkit experiment: each step an http action (pause after = its hold), the undo steps as
 * rollbacks, and with a probe URL a hypothesis "it answers 200". Runs under {@code meshunit run} and Chaos
 * Toolkit's {@code chaos run} alike.
 */
public final class ScenarioExperiment {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ScenarioExperiment() {}

    /** @param toxiproxy may be null when the scenario has no toxics; {@code probe} may be null */
    public static ObjectNode of(Scenario s, URI admin, URI toxiproxy, URI probe) {
        ObjectNode e = JSON.createObjectNode();
        e.put("version", "1.0.0");
        e.put("title", "Scenario " + s.name() + " " + s.parameters());
        e.put("description", s.description());
        e.putArray("tags").add("meshunit").add("scenario").add(s.name());
        if (probe != null) {
            ObjectNode h = e.putObject("steady-state-hypothesis");
            h.put("title", probe + " answers 200");
            ObjectNode p = h.putArray("probes").addObject();
            p.put("type", "probe").put("name", "answers-200").put("tolerance", 200);
            p.putObject("provider").put("type", "http").put("url", probe.toString()).put("timeout", 5);
        }
        ArrayNode method = e.putArray("method");
        for (Step st : s.steps()) method.add(action(st, admin, toxiproxy));
        ArrayNode rollbacks = e.putArray("rollbacks");
        for (Step st : s.undoSteps()) rollbacks.add(action(st, admin, toxiproxy));
        ObjectNode ext = e.putArray("extensions").addObject();
        ext.put("name", "meshunit").put("admin", admin.toString());
        if (toxiproxy != null) ext.put("toxiproxy", toxiproxy.toString());
        return e;
    }

    private static ObjectNode action(Step st, URI admin, URI toxiproxy) {
        URI base = st.api() == Step.Api.ADMIN ? admin : toxiproxy;
        if (base == null) throw new IllegalArgumentException(st.name() + " needs the Toxiproxy API: give its URL");
        ObjectNode a = JSON.createObjectNode();
        a.put("type", "action").put("name", st.name());
        ObjectNode p = a.putObject("provider");
        p.put("type", "http").put("url", base.resolve(st.path()).toString()).put("method", st.method());
        if (st.body() != null) {
            p.putObject("headers").put("Content-Type", "application/json");
            try {
                p.set("arguments", JSON.readTree(st.body()));
            } catch (java.io.IOException ex) {
                throw new IllegalStateException(ex);
            }
        }
        if (!st.hold().isZero()) a.putObject("pauses").put("after", st.hold().toMillis() / 1000.0);
        return a;
    }
}
