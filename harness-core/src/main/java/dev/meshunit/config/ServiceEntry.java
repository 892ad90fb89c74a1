package dev.meshunit.config;

import java.util.List;
import java.util.Map;

/** Istio's ServiceEntry: declares a service and, through its endpoints, the test backends behind it. */
public record ServiceEntry(
        Metadata metadata, List<String> hosts, List<String> addresses, List<ServicePort> ports, Location location,
        Resolution resolution, List<WorkloadEntrySpec> endpoints, Map<String, String> workloadSelector,
        List<String> exportTo, List<String> subjectAltNames) {

    public enum Location { MESH_EXTERNAL, MESH_INTERNAL }

    public enum Resolution { NONE, STATIC, DNS, DNS_ROUND_ROBIN, DYNAMIC_DNS }

    public ServiceEntry {
        hosts = Immutables.list(hosts);
        addresses = Immutables.list(addresses);
        ports = Immutables.list(ports);
        location = location == null ? Location.MESH_EXTERNAL : location;
        resolution = resolution == null ? Resolution.NONE : resolution;
        endpoints = Immutables.list(endpoints);
        workloadSelector = Immutables.map(workloadSelector);
        exportTo = Immutables.list(exportTo);
        subjectAltNames = Immutables.list(subjectAltNames);
    }

    public String name() {
        return metadata.name();
    }
}
