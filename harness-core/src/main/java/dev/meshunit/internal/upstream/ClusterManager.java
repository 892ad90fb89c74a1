package dev.meshunit.internal.upstream;

import dev.meshunit.config.HostNames;
import dev.meshunit.config.ClientTlsSettings;
import dev.meshunit.config.ConnectionPoolSettings;
import dev.meshunit.config.DestinationRule;
import dev.meshunit.config.IstioConfig;
import dev.meshunit.config.LoadBalancerSettings;
import dev.meshunit.config.OutlierDetection;
import dev.meshunit.config.PortTrafficPolicy;
import dev.meshunit.config.ServiceEntry;
import dev.meshunit.config.ServicePort;
import dev.meshunit.config.Subset;
import dev.meshunit.config.TrafficPolicy;
import dev.meshunit.config.WorkloadEntry;
import dev.meshunit.config.WorkloadEntrySpec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The services and clusters of one config: every ServiceEntry host and port, with all endpoints and with
 * each DestinationRule subset. Immutable once built; a config change builds a new one.
 */
public final class ClusterManager {
    private final Map<String, Service> services;
    private final Map<ClusterKey, Cluster> clusters;

    private ClusterManager(Map<String, Service> services, Map<ClusterKey, Cluster> clusters) {
        this.services = services;
        this.clusters = clusters;
    }

    public static ClusterManager build(IstioConfig config) {
        return build(config, ClusterContext.DEFAULT);
    }

    public static ClusterManager build(IstioConfig config, ClusterContext context) {
        Map<String, Service> services = new LinkedHashMap<>();
        Map<ClusterKey, Cluster> clusters = new HashMap<>();
        Map<String, Endpoint> shared = new HashMap<>();
        for (ServiceEntry se : config.serviceEntries()) {
            String ns = se.metadata().namespace();
            List<WorkloadEntrySpec> specs = endpointsOf(se, config.workloadEntries());
            for (String host : se.hosts()) {
                String fqdn = HostNames.fqdn(host, ns);
                if (services.containsKey(fqdn)) continue;
                Service service = new Service(fqdn, ns, se.ports(), se);
                services.put(fqdn, service);
                DestinationRule dr = ruleFor(fqdn, config.destinationRules());
                for (ServicePort port : se.ports()) {
                    List<Endpoint> all = endpoints(se, host, port, specs, shared);
                    TrafficPolicy base = dr == null ? TrafficPolicy.NONE : forPort(dr.trafficPolicy(), port.number());
                    ClusterKey key = new ClusterKey(fqdn, port.number(), null);
                    clusters.put(key, new Cluster(key, all, base, context));
                    if (dr == null) continue;
                    for (Subset subset : dr.subsets()) {
                        List<Endpoint> selected = all.stream().filter(e -> e.selectedBy(subset.labels())).toList();
                        TrafficPolicy policy = subset.trafficPolicy() == null
                                ? base
                                : overlay(base, forPort(subset.trafficPolicy(), port.number()));
                        ClusterKey sk = new ClusterKey(fqdn, port.number(), subset.name());
                        clusters.put(sk, new Cluster(sk, selected, policy, context));
                    }
                }
            }
        }
        return new ClusterManager(Map.copyOf(services), Map.copyOf(clusters));
    }

    private static List<WorkloadEntrySpec> endpointsOf(ServiceEntry se, List<WorkloadEntry> workloadEntries) {
        if (se.workloadSelector().isEmpty()) return se.endpoints();
        List<WorkloadEntrySpec> out = new ArrayList<>();
        for (WorkloadEntry we : workloadEntries) {
            if (we.metadata().namespace().equals(se.metadata().namespace())
                    && we.spec().labels().entrySet().containsAll(se.workloadSelector().entrySet())) {
                out.add(we.spec());
            }
        }
        return out;
    }

    private static List<Endpoint> endpoints(
            ServiceEntry se, String host, ServicePort port, List<WorkloadEntrySpec> specs, Map<String, Endpoint> shared) {
        List<Endpoint> out = new ArrayList<>();
        if (specs.isEmpty()) {
            // DNS (or NONE) resolution without endpoints: the host name itself is where traffic goes.
            if (se.resolution() != ServiceEntry.Resolution.STATIC && !host.startsWith("*")) {
                out.add(intern(shared, host, targetPort(port), Map.of(), 1));
            }
            return out;
        }
        for (WorkloadEntrySpec spec : specs) {
            Integer p = port.name() == null ? null : spec.ports().get(port.name());
            int number = p != null ? p : targetPort(port);
            out.add(intern(shared, spec.address(), number, spec.labels(), spec.weight() == null ? 1 : spec.weight()));
        }
        return out;
    }

    /** One Endpoint object per address, port and labels, so subsets share active-request counts. */
    private static Endpoint intern(Map<String, Endpoint> shared, String address, int port, Map<String, String> labels, int weight) {
        return shared.computeIfAbsent(address + "|" + port + "|" + labels + "|" + weight,
                k -> new Endpoint(address, port, labels, weight));
    }

    private static int targetPort(ServicePort port) {
        return port.targetPort() != null && port.targetPort() > 0 ? port.targetPort() : port.number();
    }

    static DestinationRule ruleFor(String fqdn, List<DestinationRule> rules) {
        DestinationRule best = null;
        int bestLength = -1;
        for (DestinationRule dr : rules) {
            String pattern = HostNames.fqdn(dr.host(), dr.metadata().namespace());
            if (!HostNames.matches(pattern, fqdn)) continue;
            int length = pattern.startsWith("*") ? pattern.length() - 1 : Integer.MAX_VALUE;
            if (length > bestLength) {
                best = dr;
                bestLength = length;
            }
        }
        return best;
    }

    /** Port-level settings replace the rule-level policy wholesale for their port. */
    static TrafficPolicy forPort(TrafficPolicy policy, int port) {
        for (PortTrafficPolicy p : policy.portLevelSettings()) {
            if (p.port() != null && p.port() == port) {
                return new TrafficPolicy(p.loadBalancer(), p.connectionPool(), p.outlierDetection(), p.tls(), List.of(),
                        policy.retryBudget());
            }
        }
        return policy;
    }

    /** A subset's policy overrides the rule's block by block. */
    static TrafficPolicy overlay(TrafficPolicy base, TrafficPolicy over) {
        LoadBalancerSettings lb = over.loadBalancer() != null ? over.loadBalancer() : base.loadBalancer();
        ConnectionPoolSettings cp = over.connectionPool() != null ? over.connectionPool() : base.connectionPool();
        OutlierDetection od = over.outlierDetection() != null ? over.outlierDetection() : base.outlierDetection();
        ClientTlsSettings tls = over.tls() != null ? over.tls() : base.tls();
        return new TrafficPolicy(lb, cp, od, tls, List.of(),
                over.retryBudget() != null ? over.retryBudget() : base.retryBudget());
    }

    /** The service a host name means to a client in {@code namespace}, or null. */
    public Service service(String host, String namespace) {
        for (String candidate : HostNames.candidates(host, namespace)) {
            Service s = services.get(candidate);
            if (s != null) return s;
        }
        Service best = null;
        for (Service s : services.values()) {
            if (s.fqdn().startsWith("*.") && HostNames.matches(s.fqdn(), HostNames.normalize(host))
                    && (best == null || s.fqdn().length() > best.fqdn().length())) {
                best = s;
            }
        }
        return best;
    }

    public Service serviceByFqdn(String fqdn) {
        return services.get(fqdn);
    }

    public Collection<Service> services() {
        return services.values();
    }

    public Cluster cluster(ClusterKey key) {
        return clusters.get(key);
    }

    public Collection<Cluster> clusters() {
        return clusters.values();
    }
}
