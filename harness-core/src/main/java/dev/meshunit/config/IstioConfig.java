package dev.meshunit.config;

import java.util.ArrayList;
import java.util.List;

/** A whole set of loaded resources: what a proxy is configured with. */
public record IstioConfig(
        List<VirtualService> virtualServices, List<DestinationRule> destinationRules,
        List<ServiceEntry> serviceEntries, List<WorkloadEntry> workloadEntries) {

    public static final IstioConfig EMPTY = new IstioConfig(null, null, null, null);

    public IstioConfig {
        virtualServices = Immutables.list(virtualServices);
        destinationRules = Immutables.list(destinationRules);
        serviceEntries = Immutables.list(serviceEntries);
        workloadEntries = Immutables.list(workloadEntries);
    }

    /** Both sets of resources together, this one's first. */
    public IstioConfig plus(IstioConfig other) {
        return new IstioConfig(
                concat(virtualServices, other.virtualServices), concat(destinationRules, other.destinationRules),
                concat(serviceEntries, other.serviceEntries), concat(workloadEntries, other.workloadEntries));
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
