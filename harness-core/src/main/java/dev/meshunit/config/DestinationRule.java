package dev.meshunit.config;

import java.util.List;
import java.util.Map;

/** Istio's DestinationRule: subsets of a host and the policy for talking to its endpoints. */
public record DestinationRule(
        Metadata metadata, String host, TrafficPolicy trafficPolicy, List<Subset> subsets, List<String> exportTo,
        Map<String, String> workloadSelector) {

    public DestinationRule {
        trafficPolicy = trafficPolicy == null ? TrafficPolicy.NONE : trafficPolicy;
        subsets = Immutables.list(subsets);
        exportTo = Immutables.list(exportTo);
        workloadSelector = Immutables.map(workloadSelector);
    }

    public String name() {
        return metadata.name();
    }
}
