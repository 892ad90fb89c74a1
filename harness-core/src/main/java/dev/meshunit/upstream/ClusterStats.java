package dev.meshunit.upstream;

import java.util.List;

/**
 * A cluster's state at one moment: its circuit-breaker gauges and overflow counters, and per endpoint
 * the requests in flight and the outlier detector's verdict.
 */
public record ClusterStats(String name, CircuitBreakers.Snapshot breakers, List<EndpointStats> endpoints) {
    public ClusterStats {
        endpoints = List.copyOf(endpoints);
    }

    /**
     * @param activeRequests requests in flight to the endpoint, over every cluster it belongs to
     * @param ejected whether the cluster's outlier detector has it ejected now
     * @param ejections how often this cluster ejected it
     */
    public record EndpointStats(String endpoint, int activeRequests, boolean ejected, int ejections) {}
}
