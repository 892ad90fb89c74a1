package dev.meshunit.internal.routing;

import dev.meshunit.config.HostNames;
import dev.meshunit.config.IstioConfig;
import dev.meshunit.config.L4MatchAttributes;
import dev.meshunit.config.L4Route;
import dev.meshunit.config.RouteDestination;
import dev.meshunit.config.ServicePort;
import dev.meshunit.config.VirtualService;
import dev.meshunit.internal.filter.HeaderMutation;
import dev.meshunit.journal.RouteRef;
import dev.meshunit.internal.upstream.ClusterKey;
import dev.meshunit.internal.upstream.ClusterManager;
import dev.meshunit.internal.upstream.Service;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The compiled {@code tcp:} and {@code tls:} rules of one config, beside the HTTP {@link RouteTable} and
 * sharing its clusters. A service listener takes the rules of the VirtualService for its service (see
 * {@link #rules}), or, without one, the service's default route. A gateway listener takes the rules of every
 * VirtualService bound to the gateway; no match there closes the connection (NR).
 * Immutable and swapped whole on reload; a connection keeps the table it was routed with.
 */
public final class TcpRouteTable {
    private record Rules(List<TcpRoute> tls, List<TcpRoute> tcp, TcpRoute fallback) {}

    private final IstioConfig config;
    private final RouteOptions options;
    private final ClusterManager clusters;
    private final Set<String> gateways;
    private final Map<L4Listener, Rules> byListener = new ConcurrentHashMap<>();

    private TcpRouteTable(IstioConfig config, RouteOptions options, ClusterManager clusters, Set<String> gateways) {
        this.config = config;
        this.options = options;
        this.clusters = clusters;
        this.gateways = Set.copyOf(gateways);
    }

    /** @param gateways the Istio gateways this proxy also plays (their VirtualServices apply here too) */
    public static TcpRouteTable compile(IstioConfig config, RouteOptions options, ClusterManager clusters, Set<String> gateways) {
        return new TcpRouteTable(config, options, clusters, gateways);
    }

    public ClusterManager clusters() {
        return clusters;
    }

    /** The rule a connection on {@code listener} takes, given the SNI it sent and the addresses it was meant for. */
    public TcpRouteMatch route(L4Listener listener, String sni, List<InetAddress> destinations) {
        Rules rules = byListener.computeIfAbsent(listener, this::rules);
        if (sni != null) {
            for (TcpRoute r : rules.tls) {
                if (r.matches(listener.port(), sni, destinations)) return new TcpRouteMatch(r);
            }
        }
        for (TcpRoute r : rules.tcp) {
            if (r.matches(listener.port(), null, destinations)) return new TcpRouteMatch(r);
        }
        return rules.fallback == null ? TcpRouteMatch.NONE : new TcpRouteMatch(rules.fallback);
    }

    /**
     * The cluster of a picked destination: its port, or the service's only port, or the listener's; null
     * when no ServiceEntry declares the host or port (NC).
     */
    public ClusterKey clusterKey(WeightedDestination d, L4Listener listener) {
        Service s = clusters.serviceByFqdn(d.host());
        if (s == null) return null;
        ServicePort port = d.port() != null ? s.port(d.port()) : s.ports().size() == 1 ? s.ports().get(0) : s.port(listener.port());
        return port == null ? null : new ClusterKey(s.fqdn(), port.number(), d.subset());
    }

    /**
     * The ports a gateway's rules listen on, each with whether a {@code tls:} rule matches there: what opens
     * its listeners. A rule without a port match opens none (a gateway's ports come from its Gateway resource,
     * which MeshUnit does not read).
     */
    public Map<Integer, Boolean> gatewayPorts(String gateway) {
        Map<Integer, Boolean> out = new TreeMap<>();
        for (VirtualService vs : boundTo(gateway)) {
            collectPorts(vs.tls(), true, out);
            collectPorts(vs.tcp(), false, out);
        }
        return out;
    }

    private static void collectPorts(List<L4Route> routes, boolean tls, Map<Integer, Boolean> out) {
        for (L4Route r : routes) {
            for (L4MatchAttributes m : r.match()) {
                if (m.port() != null) out.merge(m.port(), tls, Boolean::logicalOr);
            }
        }
    }

    /** The address an IP literal stands for, without asking DNS; null for anything else. */
    public static InetAddress ipLiteral(String text) {
        return L4Matcher.literal(text.trim());
    }

    public Set<String> gateways() {
        return gateways;
    }

    /**
     * As istiod builds filter chains: a TLS port takes only {@code tls:} rules and a TCP port only {@code tcp:}
     * rules; a service's TCP port falls back to the service when no rule matches, and so does its TLS port when
     * no tls rule applies to the port at all (else an SNI no rule names is refused). A gateway has no fallback.
     */
    private Rules rules(L4Listener listener) {
        List<TcpRoute> tls = new ArrayList<>();
        List<TcpRoute> tcp = new ArrayList<>();
        if (listener.gateway() != null) {
            for (VirtualService vs : boundTo(listener.gateway())) add(vs, listener, tls, tcp);
            return new Rules(List.copyOf(tls), List.copyOf(tcp), null);
        }
        WeightedDestination only = new WeightedDestination(listener.service(), null, listener.port(), 100,
                HeaderMutation.NONE, HeaderMutation.NONE);
        TcpRoute fallback = new TcpRoute(RouteRef.defaultRoute(listener.service()), List.of(),
                new RouteAction.Forward(List.of(only)));
        VirtualService vs = virtualServiceFor(listener.service());
        if (vs != null) add(vs, listener, tls, tcp);
        if (listener.tls() && !tls.isEmpty()) return new Rules(List.copyOf(tls), List.of(), null);
        return new Rules(List.of(), List.copyOf(tcp), fallback);
    }

    /** The rules of {@code vs} that the listener gets: tls ones on a TLS listener, tcp ones otherwise. */
    private void add(VirtualService vs, L4Listener listener, List<TcpRoute> tls, List<TcpRoute> tcp) {
        List<L4Route> rules = listener.tls() ? vs.tls() : vs.tcp();
        for (int i = 0; i < rules.size(); i++) {
            TcpRoute r = compile(vs, listener.tls() ? "tls" : "tcp", i, rules.get(i), listener.gateway());
            if (r.appliesTo(listener.port())) (listener.tls() ? tls : tcp).add(r);
        }
    }

    private TcpRoute compile(VirtualService vs, String field, int index, L4Route rule, String gateway) {
        String ns = vs.metadata().namespace();
        List<L4Matcher> matchers = new ArrayList<>();
        for (L4MatchAttributes m : rule.match()) matchers.add(new L4Matcher(m, options.sourceLabels(), gateway));
        List<WeightedDestination> ds = new ArrayList<>();
        for (RouteDestination d : rule.route()) {
            Service s = clusters.service(d.destination().host(), ns);
            String host = s != null ? s.fqdn() : HostNames.fqdn(d.destination().host(), ns);
            ds.add(new WeightedDestination(host, d.destination().subset(), d.destination().port(),
                    d.weight() == null ? 0 : d.weight(), HeaderMutation.NONE, HeaderMutation.NONE));
        }
        return new TcpRoute(new RouteRef(vs.name(), ns, index, field + "[" + index + "]"), matchers,
                new RouteAction.Forward(ds));
    }

    /** The sidecar VirtualService with L4 rules for a service: an exact host first, else the longest wildcard. */
    private VirtualService virtualServiceFor(String fqdn) {
        VirtualService best = null;
        int bestLength = -1;
        for (VirtualService vs : config.virtualServices()) {
            if (!vs.appliesToSidecars() || vs.tcp().isEmpty() && vs.tls().isEmpty()) continue;
            for (String h : vs.hosts()) {
                Service s = clusters.service(h, vs.metadata().namespace());
                String pattern = s != null && !h.startsWith("*") ? s.fqdn() : HostNames.fqdn(h, vs.metadata().namespace());
                if (pattern.equals(fqdn)) return vs;
                if (pattern.startsWith("*") && HostNames.matches(pattern, fqdn) && pattern.length() > bestLength) {
                    best = vs;
                    bestLength = pattern.length();
                }
            }
        }
        return best;
    }

    private List<VirtualService> boundTo(String gateway) {
        if (!gateways.contains(gateway)) return List.of();
        List<VirtualService> out = new ArrayList<>();
        for (VirtualService vs : config.virtualServices()) {
            if (vs.gateways().stream().anyMatch(g -> g.equals(gateway) || g.endsWith("/" + gateway))) out.add(vs);
        }
        return out;
    }
}
