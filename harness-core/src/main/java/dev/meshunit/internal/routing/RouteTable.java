package dev.meshunit.internal.routing;

import dev.meshunit.routing.RequestView;
import dev.meshunit.config.Destination;
import dev.meshunit.config.HttpDirectResponse;
import dev.meshunit.config.HttpMatchRequest;
import dev.meshunit.config.HttpMirrorPolicy;
import dev.meshunit.config.HttpRoute;
import dev.meshunit.config.HttpRouteDestination;
import dev.meshunit.config.IstioConfig;
import dev.meshunit.config.ServicePort;
import dev.meshunit.config.VirtualService;
import dev.meshunit.fault.FaultPolicy;
import dev.meshunit.internal.filter.HeaderMutation;
import dev.meshunit.journal.RouteRef;
import dev.meshunit.internal.router.RetryPolicy;
import dev.meshunit.internal.upstream.ClusterContext;
import dev.meshunit.internal.upstream.ClusterManager;
import dev.meshunit.internal.upstream.Service;
import dev.meshunit.config.HostNames;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The compiled routing of one config: virtual hosts from VirtualServices, default routes for services
 * without one, and the clusters behind them. Immutable and swapped whole on reload, so a request keeps
 * the table it started with.
 */
public final class RouteTable {
    private final List<VirtualHost> virtualHosts;
    private final ClusterManager clusters;
    private final RouteOptions options;
    private final IstioConfig config;
    private final Map<String, Route> defaultRoutes = new ConcurrentHashMap<>();
    private static final int MAX_RESOLVED_HOSTS = 1024;
    private final Map<String, HostRoute> resolvedHosts = new ConcurrentHashMap<>();

    private RouteTable(List<VirtualHost> virtualHosts, ClusterManager clusters, RouteOptions options,
                       IstioConfig config) {
        this.config = config;
        this.virtualHosts = virtualHosts;
        this.clusters = clusters;
        this.options = options;
    }

    public static RouteTable compile(IstioConfig config, RouteOptions options) {
        return compile(config, options, ClusterContext.DEFAULT);
    }

    /** @param context the proxy's clock and the journal that outlier detection reports to */
    public static RouteTable compile(IstioConfig config, RouteOptions options, ClusterContext context) {
        ClusterManager clusters = ClusterManager.build(config, context);
        List<VirtualHost> hosts = new ArrayList<>();
        for (VirtualService vs : config.virtualServices()) {
            if (!vs.appliesToSidecars() || vs.http().isEmpty()) continue;
            String ns = vs.metadata().namespace();
            List<String> names = new ArrayList<>();
            for (String h : vs.hosts()) {
                Service s = clusters.service(h, ns);
                names.add(s != null ? s.fqdn() : HostNames.fqdn(h, ns));
            }
            List<Route> routes = new ArrayList<>();
            for (int i = 0; i < vs.http().size(); i++) {
                routes.add(compileRoute(vs, i, clusters, options));
            }
            hosts.add(new VirtualHost(vs.name(), List.copyOf(names), List.copyOf(routes)));
        }
        return new RouteTable(List.copyOf(hosts), clusters, options, config);
    }

    private static Route compileRoute(VirtualService vs, int index, ClusterManager clusters, RouteOptions options) {
        HttpRoute r = vs.http().get(index);
        String ns = vs.metadata().namespace();
        List<RequestMatcher> matchers = new ArrayList<>();
        for (HttpMatchRequest m : r.match()) matchers.add(new RequestMatcher(m, options.sourceLabels()));
        RouteAction action;
        if (r.redirect() != null) {
            action = new RouteAction.Redirect(r.redirect());
        } else if (r.directResponse() != null) {
            action = new RouteAction.DirectResponse(r.directResponse().status(), body(r.directResponse()));
        } else {
            List<WeightedDestination> ds = new ArrayList<>();
            for (HttpRouteDestination d : r.route()) {
                ds.add(new WeightedDestination(
                        resolve(d.destination().host(), ns, clusters), d.destination().subset(), d.destination().port(),
                        d.weight() == null ? 0 : d.weight(),
                        new HeaderMutation(d.headers().request()), new HeaderMutation(d.headers().response())));
            }
            action = new RouteAction.Forward(ds);
        }
        List<Route.MirrorTarget> mirrors = new ArrayList<>();
        if (r.mirror() != null) {
            double pct = r.mirrorPercentage() != null ? r.mirrorPercentage()
                    : r.mirrorPercent() != null ? r.mirrorPercent() : 100;
            mirrors.add(mirror(r.mirror(), pct, ns, clusters));
        }
        for (HttpMirrorPolicy m : r.mirrors()) {
            mirrors.add(mirror(m.destination(), m.percentage() == null ? 100 : m.percentage(), ns, clusters));
        }
        String name = r.name() != null ? r.name() : "http[" + index + "]";
        return new Route(
                new RouteRef(vs.name(), ns, index, name), matchers, action, Rewrite.of(r.rewrite()), r.timeout(),
                RetryPolicy.of(r.retries(), options.retryDefaults()), FaultPolicy.of(r.fault()),
                new HeaderMutation(r.headers().request()), new HeaderMutation(r.headers().response()), mirrors);
    }

    private static Route.MirrorTarget mirror(Destination d, double pct, String ns, ClusterManager clusters) {
        return new Route.MirrorTarget(resolve(d.host(), ns, clusters), d.subset(), d.port(), pct);
    }

    private static String resolve(String host, String ns, ClusterManager clusters) {
        Service s = clusters.service(host, ns);
        return s != null ? s.fqdn() : HostNames.fqdn(host, ns);
    }

    private static byte[] body(HttpDirectResponse d) {
        if (d.bodyString() != null) return d.bodyString().getBytes(StandardCharsets.UTF_8);
        if (d.bodyBytes() != null) return Base64.getDecoder().decode(d.bodyBytes());
        return new byte[0];
    }

    public ClusterManager clusters() {
        return clusters;
    }

    public RouteOptions options() {
        return options;
    }

    /** The service a request's host names, or null when no ServiceEntry declares it. */
    public Service service(String host) {
        return clusters.service(host, options.sourceNamespace());
    }

    /**
     * Routes a request addressed to {@code host} (no port) and {@code port}. A host with a VirtualService
     * takes its first matching rule, and no match means 404 NR; a known host without one goes straight to
     * its service; an unknown host has no route.
     */
    /** Why no route matched, for the 404 NR answer and the journal ({@link NearestRoute}). */
    public String explainNoRoute(String host, int port, RequestView request) {
        return NearestRoute.explain(config, options, host, port, request);
    }

    public RouteMatch route(String host, int port, RequestView request) {
        HostRoute resolved = resolveHost(host);
        Service service = resolved.service();
        ServicePort servicePort = service == null ? null : service.resolvePort(port);
        int effectivePort = servicePort != null ? servicePort.number() : port;
        VirtualHost vh = resolved.virtualHost();
        if (vh != null) {
            for (Route route : vh.routes()) {
                RequestMatcher m = route.match(request, effectivePort);
                if (m != null) return new RouteMatch(route, m.uriPrefix(), effectivePort, m.routeName(route.ref().name()));
            }
            return RouteMatch.NONE;
        }
        if (service == null || servicePort == null) return RouteMatch.NONE;
        Route route = defaultRoutes.get(service.fqdn()); // a plain get first: no capturing lambda per request
        if (route == null) route = defaultRoutes.computeIfAbsent(service.fqdn(), this::defaultRoute);
        return new RouteMatch(route, null, effectivePort, route.ref().name());
    }

    /** What a host name resolves to in this table: its service and virtual host (either may be null). */
    private record HostRoute(Service service, VirtualHost virtualHost) {}

    /**
     * The service and virtual host of {@code host}, looked up once per host name and table rather than per
     * request (the DNS search-path candidates are strings made on every lookup). Bounded, so that clients
     * sending arbitrary Host headers cannot grow it.
     */
    private HostRoute resolveHost(String host) {
        HostRoute r = resolvedHosts.get(host);
        if (r != null) return r;
        Service service = service(host);
        r = new HostRoute(service, virtualHost(service != null ? List.of(service.fqdn())
                : HostNames.candidates(host, options.sourceNamespace())));
        if (resolvedHosts.size() < MAX_RESOLVED_HOSTS) resolvedHosts.putIfAbsent(host, r);
        return r;
    }

    private Route defaultRoute(String fqdn) {
        RouteAction action = new RouteAction.Forward(List.of(
                new WeightedDestination(fqdn, null, null, 100, HeaderMutation.NONE, HeaderMutation.NONE)));
        return new Route(RouteRef.defaultRoute(fqdn), List.of(), action, Rewrite.NONE, null,
                RetryPolicy.defaults(options.retryDefaults()), FaultPolicy.NONE, HeaderMutation.NONE, HeaderMutation.NONE, List.of());
    }

    private VirtualHost virtualHost(List<String> names) {
        for (String name : names) {
            for (VirtualHost vh : virtualHosts) {
                if (vh.hosts().contains(name)) return vh;
            }
        }
        VirtualHost best = null;
        int bestLength = -1;
        for (String name : names) {
            for (VirtualHost vh : virtualHosts) {
                for (String pattern : vh.hosts()) {
                    if (pattern.startsWith("*") && HostNames.matches(pattern, name) && pattern.length() > bestLength) {
                        best = vh;
                        bestLength = pattern.length();
                    }
                }
            }
        }
        return best;
    }
}
