package dev.meshunit.config.load.internal;

import dev.meshunit.config.HostNames;
import dev.meshunit.config.IstioConfig;
import dev.meshunit.config.VirtualService;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * IST0109 ConflictingMeshGatewayVirtualServiceHosts as istioctl analyze finds it: mesh VirtualServices are
 * grouped by host within each exportTo scope; a scoped host also conflicts with every host exported to all
 * namespaces that matches it (wildcards included). Every VirtualService of a conflict is reported once.
 * Where Istio sees no conflict because the exportTo scopes differ, MeshUnit (one proxy, exportTo not acted
 * on) still warns that the first VirtualService loaded wins.
 */
final class ConflictingHosts {
    private static final String ALL = "*";

    private ConflictingHosts() {}

    static void check(IstioConfig config, Report report) {
        Map<String, List<VirtualService>> byScopedHost = new LinkedHashMap<>();
        for (VirtualService vs : config.virtualServices()) {
            if (!vs.gateways().isEmpty() && !vs.gateways().contains("mesh")) continue;
            for (String scope : scopes(vs)) {
                for (String h : vs.hosts()) byScopedHost.computeIfAbsent(scope + "/" + fqdn(h, vs), k -> new ArrayList<>()).add(vs);
            }
        }
        Set<VirtualService> reported = new HashSet<>();
        for (Map.Entry<String, List<VirtualService>> e : byScopedHost.entrySet()) {
            String scope = e.getKey().substring(0, e.getKey().indexOf('/'));
            String host = e.getKey().substring(scope.length() + 1);
            Set<VirtualService> conflict = new LinkedHashSet<>(e.getValue());
            List<VirtualService> all = new ArrayList<>(e.getValue());
            if (!scope.equals(ALL)) {
                byScopedHost.forEach((k, list) -> {
                    if (k.startsWith(ALL + "/") && IstioHosts.matches(host, k.substring(2))) all.addAll(list);
                });
            }
            conflict.addAll(all);
            if (all.size() < 2) continue;
            String names = all.stream().map(v -> v.metadata().namespace() + "/" + v.name()).sorted().collect(Collectors.joining(","));
            for (VirtualService vs : conflict) {
                if (!reported.add(vs)) continue;
                report.about(vs).error("metadata.name", "The VirtualServices " + names + " associated with mesh gateway define the "
                        + "same host " + e.getKey() + " which can lead to undefined behavior. This can be fixed by merging the "
                        + "conflicting VirtualServices into a single resource.", "IST0109");
            }
        }
        unscopedOverlaps(config, report, reported);
    }

    /** exportTo is not acted on, so VirtualServices Istio keeps apart still meet in MeshUnit's one proxy. */
    private static void unscopedOverlaps(IstioConfig config, Report report, Set<VirtualService> reported) {
        Map<String, VirtualService> owners = new LinkedHashMap<>();
        for (VirtualService vs : config.virtualServices()) {
            if (!vs.appliesToSidecars()) continue;
            for (int i = 0; i < vs.hosts().size(); i++) {
                String host = HostNames.normalize(fqdn(vs.hosts().get(i), vs));
                VirtualService first = owners.putIfAbsent(host, vs);
                if (first != null && first != vs && !reported.contains(vs)) {
                    report.about(vs).warning("hosts[" + i + "]", "host " + host + " is also routed by VirtualService "
                            + first.metadata().namespace() + "/" + first.name() + " (" + report.where(first, "metadata.name")
                            + "); Istio keeps them apart by exportTo, which MeshUnit does not act on: the first one loaded is used");
                }
            }
        }
    }

    private static List<String> scopes(VirtualService vs) {
        if (vs.exportTo().isEmpty() || vs.exportTo().contains(ALL)) return List.of(ALL);
        Set<String> out = new LinkedHashSet<>();
        for (String e : vs.exportTo()) out.add(e.equals(".") ? vs.metadata().namespace() : e);
        return new ArrayList<>(out);
    }

    /** istioctl's ConvertHostToFQDN: short names are completed in the VirtualService's namespace. */
    private static String fqdn(String host, VirtualService vs) {
        return host.startsWith("*") || host.contains(".") ? host : host + "." + vs.metadata().namespace() + ".svc.cluster.local";
    }
}
