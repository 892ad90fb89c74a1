package dev.meshunit.admin;

import dev.meshunit.config.DestinationRule;
import dev.meshunit.config.IstioConfig;
import dev.meshunit.config.Metadata;
import dev.meshunit.config.ServiceEntry;
import dev.meshunit.config.VirtualService;
import dev.meshunit.config.WorkloadEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/** Resources of a config by kind, namespace and name, as {@code kubectl apply} and {@code delete} address them. */
final class Resources {
    /** kubectl's names for each kind: the kind itself, its plural and its short name, in lower case. */
    private static final Map<String, String> KINDS = Map.ofEntries(
            Map.entry("virtualservice", "VirtualService"), Map.entry("virtualservices", "VirtualService"),
            Map.entry("vs", "VirtualService"), Map.entry("destinationrule", "DestinationRule"),
            Map.entry("destinationrules", "DestinationRule"), Map.entry("dr", "DestinationRule"),
            Map.entry("serviceentry", "ServiceEntry"), Map.entry("serviceentries", "ServiceEntry"),
            Map.entry("se", "ServiceEntry"), Map.entry("workloadentry", "WorkloadEntry"),
            Map.entry("workloadentries", "WorkloadEntry"), Map.entry("we", "WorkloadEntry"));

    /** One resource's identity. */
    record Key(String kind, String namespace, String name) {
        @Override
        public String toString() {
            return kind + " " + namespace + "/" + name;
        }
    }

    private Resources() {}

    /** The kind a user wrote ({@code VirtualService}, {@code virtualservices}, {@code vs}), or null. */
    static String kind(String written) {
        return KINDS.get(written.toLowerCase(Locale.ROOT));
    }

    static Key key(Object resource) {
        Metadata m = metadata(resource);
        return new Key(resource.getClass().getSimpleName(), m.namespace(), m.name());
    }

    static List<Object> all(IstioConfig c) {
        List<Object> all = new ArrayList<>();
        all.addAll(c.serviceEntries());
        all.addAll(c.workloadEntries());
        all.addAll(c.destinationRules());
        all.addAll(c.virtualServices());
        return all;
    }

    /** {@code base} with each resource of {@code applied} replacing the one of the same key, or added after them. */
    static IstioConfig apply(IstioConfig base, IstioConfig applied) {
        List<Object> out = new ArrayList<>(all(base));
        for (Object r : all(applied)) {
            Key k = key(r);
            int at = indexOf(out, k);
            if (at >= 0) out.set(at, r);
            else out.add(r);
        }
        return of(out);
    }

    static IstioConfig without(IstioConfig base, Key gone) {
        List<Object> out = new ArrayList<>(all(base));
        out.removeIf(r -> key(r).equals(gone));
        return of(out);
    }

    static int indexOf(List<Object> resources, Key k) {
        for (int i = 0; i < resources.size(); i++) {
            if (key(resources.get(i)).equals(k)) return i;
        }
        return -1;
    }

    private static IstioConfig of(List<Object> all) {
        return new IstioConfig(only(all, VirtualService.class), only(all, DestinationRule.class),
                only(all, ServiceEntry.class), only(all, WorkloadEntry.class));
    }

    private static <T> List<T> only(List<Object> all, Class<T> type) {
        Predicate<Object> is = type::isInstance;
        return all.stream().filter(is).map(type::cast).toList();
    }

    private static Metadata metadata(Object resource) {
        if (resource instanceof VirtualService r) return r.metadata();
        if (resource instanceof DestinationRule r) return r.metadata();
        if (resource instanceof ServiceEntry r) return r.metadata();
        return ((WorkloadEntry) resource).metadata();
    }
}
