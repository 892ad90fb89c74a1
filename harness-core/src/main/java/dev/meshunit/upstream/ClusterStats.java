package dev.meshunit.upstream;

import java.util.List;

/**
 * A cluster's state at one moment: its circuit-breaker gauges and overflow counters, and per endpoint
 * the requests in flight and the outlier detector's verdict.
 */
public record ClusterStats(String name, Breakers breakers, List<EndpointStats> endpoints) {
    public ClusterStats {
        endpoints = List.copyOf(endpoints);
    }

    /**
     * Gauges (open connections, requests waiting for one, requests in flight, retries in back-off) and
     * Envoy's overflow counters {@code upstream_cx_overflow}, {@code upstream_rq_pending_overflow},
     * {@code upstream_rq_overflow} (http2MaxRequests) and {@code upstream_rq_retry_overflow}.
     */
    public record Breakers(int connections, int pendingRequests, int activeRequests, int activeRetries,
            long connectionOverflows, long pendingOverflows, long requestOverflows, long retryOverflows) {}

    /**
     * @param activeRequests requests in flight to the endpoint, over every cluster it belongs to
     * @param ejected whether the cluster's outlier detector has it ejected now
     * @param ejections how often this cluster ejected it
     */
    public record EndpointStats(String endpoint, int activeRequests, boolean ejected, int ejections) {}
}
