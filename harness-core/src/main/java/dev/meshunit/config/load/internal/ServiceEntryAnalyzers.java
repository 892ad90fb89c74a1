package dev.meshunit.config.load.internal;

import dev.meshunit.config.IstioConfig;
import dev.meshunit.config.ServiceEntry;
import dev.meshunit.config.ServicePort;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** istioctl analyze's ServiceEntry analyzers that need only the files: IST0134, IST0177. */
public final class ServiceEntryAnalyzers {
    private ServiceEntryAnalyzers() {}

    public static void check(IstioConfig config, Report report) {
        for (ServiceEntry se : config.serviceEntries()) addressesRequired(se, report.about(se));
        conflictingProtocols(config, report);
    }

    /**
     * IST0134: a TCP (or protocol-less) port without addresses can only be matched by port. Istio stays quiet
     * when the mesh allocates addresses (PILOT_ENABLE_IP_AUTOALLOCATE), which the files cannot tell.
     */
    private static void addressesRequired(ServiceEntry se, Report r) {
        if (!se.addresses().isEmpty()) return;
        for (int i = 0; i < se.ports().size(); i++) {
            ServicePort port = se.ports().get(i);
            if (port.protocol() == null || port.protocol().isEmpty() || port.protocol().equalsIgnoreCase("TCP")) {
                r.warning("ports[" + i + "]", "ServiceEntry addresses are required for this protocol.", "IST0134");
            }
        }
    }

    private record Key(String scope, String host, int port) {}

    private record Entry(String protocol, ServiceEntry se) {}

    /** IST0177: two ServiceEntries that give one host and port different protocols, in a scope they share. */
    private static void conflictingProtocols(IstioConfig config, Report report) {
        Map<Key, List<Entry>> index = new LinkedHashMap<>();
        for (ServiceEntry se : config.serviceEntries()) {
            for (String scope : scopes(se)) {
                for (String h : se.hosts()) {
                    for (ServicePort p : se.ports()) {
                        index.computeIfAbsent(new Key(scope, h, p.number()), k -> new ArrayList<>())
                                .add(new Entry(p.protocol() == null ? "" : p.protocol(), se));
                    }
                }
            }
        }
        Set<ServiceEntry> reported = new HashSet<>();
        index.forEach((key, list) -> {
            List<Entry> entries = new ArrayList<>(list);
            if (!key.scope().equals("*")) entries.addAll(index.getOrDefault(new Key("*", key.host(), key.port()), List.of()));
            Set<String> protocols = new TreeSet<>();
            entries.forEach(e -> protocols.add(e.protocol().toUpperCase()));
            if (protocols.size() < 2) return;
            Set<String> names = new TreeSet<>();
            entries.forEach(e -> names.add(e.se().metadata().namespace() + "/" + e.se().name()));
            Set<ServiceEntry> involved = new LinkedHashSet<>();
            entries.forEach(e -> involved.add(e.se()));
            for (ServiceEntry se : involved) {
                if (!reported.add(se)) continue;
                report.about(se).warning("metadata.name", "Multiple ServiceEntries (" + String.join(", ", names)
                        + ") define the same host \"" + key.host() + "\" and port " + key.port()
                        + " with conflicting protocols (" + String.join(", ", protocols) + ").", "IST0177");
            }
        });
    }

    private static List<String> scopes(ServiceEntry se) {
        if (se.exportTo().isEmpty() || se.exportTo().contains("*")) return List.of("*");
        Set<String> out = new LinkedHashSet<>();
        for (String e : se.exportTo()) out.add(e.equals(".") ? se.metadata().namespace() : e);
        return new ArrayList<>(out);
    }
}
