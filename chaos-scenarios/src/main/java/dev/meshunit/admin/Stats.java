package dev.meshunit.admin;

import dev.meshunit.journal.Counters;
import dev.meshunit.journal.DestinationRef;
import dev.meshunit.journal.Journal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The body of {@code GET /stats}: the journal's totals, one entry per cluster ({@code host}, {@code port},
 * {@code subset}; all three null for requests that no route matched) and one per endpoint, each with the
 * counters {@code total, success, clientErrors, serverErrors, noResponse}; {@code upstream}, and
 * {@code shadows{recorded, retained, inFlight}}, {@code connections{recorded, retained}} (proxied TCP
 * connections), {@code downstream{downstream_cx_total, ...}} (the downstream side's connections, timeouts and
 * refusals, by Envoy's stat names) and {@code responseFlags{FLAG: n}}.
 */
final class Stats {
    private Stats() {}

    static Map<String, Object> of(dev.meshunit.MeshProxy proxy, Map<String, Long> responseFlags) {
        Journal journal = proxy.journal();
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
        // Circuit breakers, overflows and outlier ejection per cluster, as they stand now.
        out.put("upstream", proxy.clusterStats());
        // Mirrored copies: all recorded, those retained in detail, and those still under way (0 once every
        // shadow of the requests answered so far is in /journal/shadows).
        Map<String, Object> shadows = new LinkedHashMap<>();
        shadows.put("recorded", journal.shadows().recorded());
        shadows.put("retained", journal.shadows().all().size());
        shadows.put("inFlight", proxy.shadowsInFlight());
        out.put("shadows", shadows);
        out.put("connections", Map.of("recorded", journal.connections().recorded(),
                "retained", journal.connections().all().size()));
        out.put("downstream", downstream(proxy.downstreamStats()));
        // Exchanges per Envoy response flag since the admin server started (not reset with the journal).
        out.put("responseFlags", responseFlags);
        return out;
    }

    /** The downstream side's counters since the proxy started, by Envoy's stat names. */
    private static Map<String, Object> downstream(dev.meshunit.downstream.DownstreamStats d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("downstream_cx_total", d.cxTotal());
        m.put("downstream_cx_active", d.cxActive());
        m.put("downstream_cx_overflow", d.cxOverflow());
        m.put("downstream_cx_idle_timeout", d.cxIdleTimeout());
        m.put("downstream_cx_protocol_error", d.cxProtocolError());
        m.put("downstream_rq_header_timeout", d.rqHeaderTimeout());
        m.put("downstream_rq_idle_timeout", d.rqIdleTimeout());
        m.put("downstream_rq_headers_too_large", d.rqHeadersTooLarge());
        m.put("downstream_rq_overload_close", d.rqOverloadClose());
        return m;
    }

    /** Requests that matched no route count under a cluster whose host, port and subset are null. */
    private static Map<String, Object> cluster(DestinationRef key, Counters.Snapshot counters) {
        Map<String, Object> c = new LinkedHashMap<>();
        boolean routed = !key.equals(Journal.NO_ROUTE);
        c.put("host", key.host());
        c.put("port", routed ? key.port() : null);
        c.put("subset", key.subset());
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
