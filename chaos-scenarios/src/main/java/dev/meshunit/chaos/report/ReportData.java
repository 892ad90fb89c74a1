package dev.meshunit.chaos.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshunit.chaos.load.LoadRecorder;
import dev.meshunit.chaos.load.LoadSpec;
import dev.meshunit.chaos.load.Second;
import dev.meshunit.chaos.load.Timeline;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The report's data ({@code report.json}, and inlined in the HTML): the run's outcome, one row per second of load
 * (latency percentiles, outcomes, response flags), the experiment's phases, the faults and toxics in force over
 * time, and from MeshUnit's journal the requests per subset and endpoint and the attempts per request.
 * Times are seconds since the timeline started.
 */
public final class ReportData {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A part of the experiment: what it was, when, and whether it went well. */
    public record Phase(String kind, String name, Instant start, Instant end, boolean ok) {}

    private ReportData() {}

    /**
     * @param journal the Chaos Toolkit journal, or null for a plain load
     * @param meshJournal MeshUnit's {@code GET /journal}, or null without an admin API
     */
    public static ObjectNode of(String title, ObjectNode journal, Timeline timeline, List<Phase> phases, LoadSpec load,
            LoadRecorder recorder, JsonNode meshJournal) {
        ObjectNode out = JSON.createObjectNode();
        out.put("title", title);
        out.put("start", timeline.start().toString());
        if (journal != null) {
            out.put("status", journal.path("status").asText());
            out.put("deviated", journal.path("deviated").asBoolean());
            out.put("duration", journal.path("duration").asDouble());
            out.set("hypothesis", hypothesis(journal));
        }
        if (load != null) {
            ObjectNode l = out.putObject("load");
            l.put("url", load.url().toString());
            l.put("method", load.method());
            l.put("rate", load.rate());
            l.put("sent", recorder.sent());
            l.put("p50", recorder.percentile(50));
            l.put("p90", recorder.percentile(90));
            l.put("p99", recorder.percentile(99));
            l.put("p999", recorder.percentile(99.9));
            l.set("outcomes", JSON.valueToTree(recorder.snapshot()));
        }
        List<Timeline.Sample> samples = timeline.samples();
        List<Map<String, Long>> journalFlags = new ArrayList<>();
        samples.forEach(s -> journalFlags.add(new TreeMap<>()));
        if (meshJournal != null) mesh(out, meshJournal, timeline.start(), samples, journalFlags);
        ArrayNode seconds = out.putArray("seconds");
        for (int i = 0; i < samples.size(); i++) {
            Timeline.Sample s = samples.get(i);
            ObjectNode row = seconds.addObject();
            row.put("t", Math.round(s.at() * 1000) / 1000.0);
            Second load1 = s.load();
            if (load1 != null) {
                row.put("sent", load1.sent());
                row.put("errors", load1.errors());
                row.put("p50", load1.p50());
                row.put("p90", load1.p90());
                row.put("p99", load1.p99());
                row.put("max", load1.max());
                row.set("outcomes", JSON.valueToTree(load1.outcomes()));
            }
            // MeshUnit's journal knows when each exchange started; the admin's counters are the fallback.
            Map<String, Long> flags = meshJournal != null ? journalFlags.get(i) : s.flags();
            row.set("flags", JSON.valueToTree(flags));
        }
        ArrayNode ph = out.putArray("phases");
        for (Phase p : phases) {
            ph.addObject().put("kind", p.kind()).put("name", p.name()).put("from", since(timeline.start(), p.start()))
                    .put("to", since(timeline.start(), p.end())).put("ok", p.ok());
        }
        out.set("faults", spans(timeline, true));
        out.set("toxics", spans(timeline, false));
        return out;
    }

    private static ObjectNode hypothesis(ObjectNode journal) {
        ObjectNode h = JSON.createObjectNode();
        for (String when : List.of("before", "after")) {
            JsonNode state = journal.path("steady_states").path(when);
            if (state.isObject()) {
                ObjectNode s = h.putObject(when);
                s.put("met", state.path("steady_state_met").asBoolean());
                ArrayNode probes = s.putArray("probes");
                state.path("probes").forEach(p -> probes.addObject().put("name", p.path("activity").path("name").asText())
                        .put("status", p.path("status").asText()).put("tolerance_met", p.path("tolerance_met").asBoolean())
                        .put("tolerance", p.path("activity").path("tolerance").toString()));
            }
        }
        return h;
    }

    /** Requests per subset and endpoint, attempts per request, flags per second: from MeshUnit's journal. */
    private static void mesh(ObjectNode out, JsonNode exchanges, Instant start, List<Timeline.Sample> samples,
            List<Map<String, Long>> flags) {
        Map<String, Long> subsets = new TreeMap<>();
        Map<String, Long> endpoints = new TreeMap<>();
        Map<Integer, Long> attempts = new TreeMap<>();
        for (JsonNode e : exchanges) {
            JsonNode d = e.path("destination");
            String dest = d.isObject() ? d.path("host").asText() + (d.path("subset").isNull() || d.path("subset").isMissingNode()
                    ? "" : " " + d.path("subset").asText()) : "(no route)";
            subsets.merge(dest, 1L, Long::sum);
            e.path("attempts").forEach(a -> endpoints.merge(a.path("endpoint").asText(), 1L, Long::sum));
            attempts.merge(e.path("attempts").size(), 1L, Long::sum);
            int row = row(samples, since(start, e.path("start").asText()));
            if (row >= 0) e.path("flags").forEach(f -> flags.get(row).merge(f.asText(), 1L, Long::sum));
        }
        out.set("subsets", counts(subsets, "destination"));
        out.set("endpoints", counts(endpoints, "endpoint"));
        ArrayNode retries = out.putArray("attempts");
        attempts.forEach((n, c) -> retries.addObject().put("attempts", n).put("requests", c));
        out.put("exchanges", exchanges.size());
    }

    /** The first sample taken at or after {@code at} (the last one for anything later; -1 without samples). */
    private static int row(List<Timeline.Sample> samples, double at) {
        for (int i = 0; i < samples.size(); i++) {
            if (samples.get(i).at() >= at) return i;
        }
        return samples.size() - 1;
    }

    private static double since(Instant start, String iso) {
        try {
            return Duration.between(start, Instant.parse(iso)).toMillis() / 1000.0;
        } catch (RuntimeException e) {
            return 0;
        }
    }

    private static ArrayNode counts(Map<String, Long> m, String key) {
        ArrayNode a = JSON.createArrayNode();
        m.forEach((k, v) -> a.addObject().put(key, k).put("requests", v));
        return a;
    }

    /** Each fault (or toxic) with the seconds it was in force, from the once-a-second samples. */
    private static ArrayNode spans(Timeline timeline, boolean faults) {
        ArrayNode out = JSON.createArrayNode();
        Map<String, ObjectNode> open = new TreeMap<>();
        double before = 0;
        for (Timeline.Sample s : timeline.samples()) {
            List<String> now = faults ? s.faults() : s.toxics();
            for (String what : now) {
                ObjectNode span = open.get(what);
                if (span == null) {
                    span = out.addObject().put("what", what).put("from", Math.round(before * 1000) / 1000.0);
                    open.put(what, span);
                }
                span.put("to", Math.round(s.at() * 1000) / 1000.0);
            }
            before = s.at();
            new ArrayList<>(open.keySet()).forEach(k -> {
                if (!now.contains(k)) open.remove(k);
            });
        }
        return out;
    }

    private static double since(Instant start, Instant t) {
        return Duration.between(start, t).toMillis() / 1000.0;
    }
}
