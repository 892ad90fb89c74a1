package dev.meshunit.admin;

import dev.meshunit.journal.Counters;
import dev.meshunit.journal.Journal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The body of {@code GET /stats}: the journal's totals, one entry per cluster ({@code host}, {@code port},
 * {@code subset}; all three null for requests that no route matched) and one per endpoint, each with the
 * counters {@code total, success, clientErrors, serverErrors, noResponse}.
 */
final class Stats {
    private Stats() {}

    static Map<String, Object> of(Journal journal) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("seed", journal.seed());
        out.put("capacity", journal.capacity());
        out.put("recorded", journal.recorded());
        out.put("dropped", journal.dropped());
        List<Map<String, Object>> clusters = new ArrayList<>();
        journal.clusterCounters().forEach((key, counters) -> clusters.add(cluster(key, counters)));
        out.put("clusters", clusters);
        List<Map<String, Object>> endpoints = new ArrayList<>();
        journal.endpointCounters().forEach((endpoint, counters) -> {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("endpoint", endpoint);
            putCounters(e, counters);
            endpoints.add(e);
        });
        out.put("endpoints", endpoints);
        return out;
    }

    /** The journal names a cluster {@code host|port|subset}, or {@code (no route)}. */
    private static Map<String, Object> cluster(String key, Counters.Snapshot counters) {
        String[] parts = key.split("\\|", -1);
        Map<String, Object> c = new LinkedHashMap<>();
        boolean routed = parts.length == 3;
        c.put("host", routed ? parts[0] : null);
        c.put("port", routed ? Integer.valueOf(parts[1]) : null);
        c.put("subset", routed && !parts[2].isEmpty() ? parts[2] : null);
        putCounters(c, counters);
        return c;
    }

    private static void putCounters(Map<String, Object> into, Counters.Snapshot s) {
        into.put("total", s.total());
        into.put("success", s.success());
        into.put("clientErrors", s.clientErrors());
        into.put("serverErrors", s.serverErrors());
        into.put("noResponse", s.noResponse());
    }
}
