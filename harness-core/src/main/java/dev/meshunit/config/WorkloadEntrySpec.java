package dev.meshunit.config;

import java.util.Map;

/**
 * One endpoint: a ServiceEntry {@code endpoints} item or the spec of a WorkloadEntry. {@code ports} maps a
 * service port name to the endpoint's port; labels are what DestinationRule subsets select.
 */
public record WorkloadEntrySpec(
        String address, Map<String, Integer> ports, Map<String, String> labels, String network, String locality,
        Integer weight, String serviceAccount) {

    public WorkloadEntrySpec {
        ports = Immutables.map(ports);
        labels = Immutables.map(labels);
    }
}
