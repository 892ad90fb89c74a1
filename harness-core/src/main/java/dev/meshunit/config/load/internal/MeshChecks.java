package dev.meshunit.config.load.internal;

import dev.meshunit.config.Destination;
import dev.meshunit.config.DestinationRule;
import dev.meshunit.config.HttpRoute;
import dev.meshunit.config.IstioConfig;
import dev.meshunit.config.Metadata;
import dev.meshunit.config.ServiceEntry;
import dev.meshunit.config.Subset;
import dev.meshunit.config.VirtualService;
import dev.meshunit.config.WorkloadEntrySpec;
import dev.meshunit.config.HostNames;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;

/** istioctl-analyze style checks across resources: references, conflicts, duplicates. */
public final class MeshChecks {
    private final IstioConfig config;
    private final Report report;
    private final Set<String> namespaces = new HashSet<>();

    public MeshChecks(IstioConfig config, Report report) {
        this.config = config;
        this.report = report;
        config.virtualServices().forEach(vs -> namespaces.add(vs.metadata().namespace()));
        config.destinationRules().forEach(dr -> namespaces.add(dr.metadata().namespace()));
        config.serviceEntries().forEach(se -> namespaces.add(se.metadata().namespace()));
    }

    public void check() {
        duplicateNames(config.virtualServices(), VirtualService::metadata);
        duplicateNames(config.destinationRules(), DestinationRule::metadata);
        duplicateNames(config.serviceEntries(), ServiceEntry::metadata);
        duplicateNames(config.workloadEntries(), we -> we.metadata());
        ConflictingHosts.check(config, report);
        config.virtualServices().forEach(this::destinations);
        config.destinationRules().forEach(this::subsetsSelectEndpoints);
    }

    private <T> void duplicateNames(List<T> resources, Function<T, Metadata> metadata) {
        Set<String> seen = new HashSet<>();
        for (T r : resources) {
            Metadata m = metadata.apply(r);
            if (!seen.add(m.namespace() + "/" + m.name())) {
                report.about(r).error("metadata.name", "duplicate name " + m.name() + " in namespace " + m.namespace());
            }
        }
    }


    private void destinations(VirtualService vs) {
        Report r = report.about(vs);
        Set<String> unknownHosts = new HashSet<>();
        for (int i = 0; i < vs.http().size(); i++) {
            HttpRoute h = vs.http().get(i);
            String path = "http[" + i + "]";
            for (int k = 0; k < h.route().size(); k++) destination(vs, r, unknownHosts, path + ".route[" + k + "].destination", h.route().get(k).destination());
            if (h.mirror() != null) destination(vs, r, unknownHosts, path + ".mirror", h.mirror());
            for (int k = 0; k < h.mirrors().size(); k++) destination(vs, r, unknownHosts, path + ".mirrors[" + k + "].destination", h.mirrors().get(k).destination());
        }
        forEachL4(vs, (path, d) -> destination(vs, r, unknownHosts, path, d));
    }

    private static void forEachL4(VirtualService vs, BiConsumer<String, Destination> each) {
        for (String field : List.of("tls", "tcp")) {
            var routes = field.equals("tls") ? vs.tls() : vs.tcp();
            for (int i = 0; i < routes.size(); i++) {
                for (int k = 0; k < routes.get(i).route().size(); k++) {
                    each.accept(field + "[" + i + "].route[" + k + "].destination", routes.get(i).route().get(k).destination());
                }
            }
        }
    }

    private void destination(VirtualService vs, Report r, Set<String> unknownHosts, String path, Destination d) {
        if (d == null || d.host() == null || d.host().equals("*")) return;
        String host = fqdn(d.host(), vs.metadata());
        Optional<ServiceEntry> se = serviceEntry(host);
        if (se.isEmpty() && unknownHosts.add(host)) {
            // MeshUnit never passes traffic through to the network (Istio's ALLOW_ANY would, for external hosts).
            r.warning(path + ".host", "no ServiceEntry declares " + host + "; requests to it will get 503 (NC)"
                    + (HostNames.isClusterLocal(host) ? "" : "; MeshUnit does not pass traffic to hosts it does not know"));
        }
        if (d.subset() != null && subset(host, d.subset()).isEmpty()) {
            r.error(path + ".subset", "Referenced host+subset in destinationrule not found: \"" + host + "+" + d.subset() + "\"", "IST0101");
        }
        if (d.port() == null && se.isPresent() && se.get().ports().size() > 1) {
            r.warning(path, "this VirtualService must specify port.number for " + host + ", which has "
                    + se.get().ports().size() + " ports", "IST0112");
        }
    }

    /** IST0173, and MeshUnit's lint for maxEjectionPercent, need the endpoints behind the host. */
    private void subsetsSelectEndpoints(DestinationRule dr) {
        if (dr.host() == null) return;
        Report r = report.about(dr);
        String host = fqdn(dr.host(), dr.metadata());
        List<WorkloadEntrySpec> endpoints = serviceEntry(host).map(this::endpoints).orElse(null);
        if (endpoints == null) return;
        for (int i = 0; i < dr.subsets().size(); i++) {
            Subset s = dr.subsets().get(i);
            if (endpoints.stream().noneMatch(e -> e.labels().entrySet().containsAll(s.labels().entrySet()))) {
                r.warning("subsets[" + i + "]", "subset " + s.name() + " selects no endpoint of " + host
                        + "; requests to it will get 503 (UH)", "IST0173");
            }
        }
        var od = dr.trafficPolicy().outlierDetection();
        if (od != null && od.maxEjectionPercent() == null && !endpoints.isEmpty() && endpoints.size() < 10) {
            r.warning("trafficPolicy.outlierDetection", "maxEjectionPercent is unset (Envoy default 10%) and " + host
                    + " has " + endpoints.size() + " endpoints: nothing will be ejected; set maxEjectionPercent: 100");
        }
    }

    private List<WorkloadEntrySpec> endpoints(ServiceEntry se) {
        if (se.workloadSelector().isEmpty()) return se.endpoints();
        List<WorkloadEntrySpec> selected = new ArrayList<>();
        config.workloadEntries().stream()
                .filter(we -> we.metadata().namespace().equals(se.metadata().namespace()))
                .filter(we -> we.spec().labels().entrySet().containsAll(se.workloadSelector().entrySet()))
                .forEach(we -> selected.add(we.spec()));
        return selected;
    }

    private Optional<ServiceEntry> serviceEntry(String fqdn) {
        return config.serviceEntries().stream()
                .filter(se -> se.hosts().stream().anyMatch(h -> HostNames.matches(fqdn(h, se.metadata()), fqdn)))
                .findFirst();
    }

    private Optional<Subset> subset(String fqdn, String name) {
        return config.destinationRules().stream()
                .filter(dr -> dr.host() != null && HostNames.matches(fqdn(dr.host(), dr.metadata()), fqdn))
                .flatMap(dr -> dr.subsets().stream())
                .filter(s -> name.equals(s.name()))
                .findFirst();
    }

    private String fqdn(String host, Metadata m) {
        return HostNames.fqdn(host, m.namespace(), namespaces);
    }
}
