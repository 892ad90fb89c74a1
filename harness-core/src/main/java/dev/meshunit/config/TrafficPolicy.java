package dev.meshunit.config;

import java.util.List;

/** A DestinationRule's (or a subset's) policy towards the endpoints of a service. */
public record TrafficPolicy(
        LoadBalancerSettings loadBalancer, ConnectionPoolSettings connectionPool, OutlierDetection outlierDetection,
        ClientTlsSettings tls, List<PortTrafficPolicy> portLevelSettings, RetryBudget retryBudget) {

    public static final TrafficPolicy NONE = new TrafficPolicy(null, null, null, null, null, null);

    public TrafficPolicy {
        portLevelSettings = Immutables.list(portLevelSettings);
    }
}
