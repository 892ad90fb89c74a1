package dev.meshunit.chaos.internal;

import dev.meshunit.config.DeclaredHosts;
import dev.meshunit.config.DestinationRule;
import dev.meshunit.config.HostNames;
import dev.meshunit.config.IstioConfig;
import dev.meshunit.config.ServiceEntry;
import dev.meshunit.config.Subset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The endpoints a toxic under the sidecar is for: a declared service (by any name the proxy answers to,
 * {@code ratings}, {@code ratings.default}, the FQDN) and optionally one of its DestinationRule subsets, whose
 * labels select the endpoints. Names that the config does not declare are errors naming the nearest ones.
 */
public record ServiceSelector(String fqdn, String subset, Map<String, String> labels) {
    public ServiceSelector {
        labels = Map.copyOf(labels);
    }

    public static ServiceSelector of(IstioConfig config, String host, String subset) {
        DeclaredHosts.of(config).require(host, "toxic");
        String fqdn = fqdn(config, host);
        if (subset == null || subset.isEmpty()) {
            return new ServiceSelector(fqdn, null, Map.of());
        }
        List<String> declared = new ArrayList<>();
        for (DestinationRule dr : config.destinationRules()) {
            if (!HostNames.fqdn(dr.host(), dr.metadata().namespace()).equals(fqdn)) {
                continue;
            }
            for (Subset s : dr.subsets()) {
                if (s.name().equals(subset)) {
                    return new ServiceSelector(fqdn, subset, s.labels());
                }
                declared.add(s.name());
            }
        }
        throw new IllegalArgumentException("toxic: host \"" + host + "\" has no subset \"" + subset + "\""
                + (declared.isEmpty() ? " (no DestinationRule declares subsets for it)"
                        : " (declared: " + String.join(", ", declared) + ")"));
    }

    /** The FQDN of the declared service that a client naming {@code host} reaches (short names in {@code default}). */
    private static String fqdn(IstioConfig config, String host) {
        for (String candidate : HostNames.candidates(host, "default")) {
            for (ServiceEntry se : config.serviceEntries()) {
                for (String h : se.hosts()) {
                    if (HostNames.fqdn(h, se.metadata().namespace()).equals(candidate)) {
                        return candidate;
                    }
                }
            }
        }
        return HostNames.fqdn(host, "default");
    }

    /** Whether a connection of service {@code host} to an endpoint with {@code endpointLabels} is selected. */
    public boolean selects(String host, Map<String, String> endpointLabels) {
        return fqdn.equals(host) && endpointLabels.entrySet().containsAll(labels.entrySet());
    }

    @Override
    public String toString() {
        return subset == null ? fqdn : fqdn + " subset " + subset;
    }
}
