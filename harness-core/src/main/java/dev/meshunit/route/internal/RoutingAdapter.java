package dev.meshunit.route.internal;

import dev.meshunit.config.HttpFaultInjection;
import dev.meshunit.config.HttpRedirect;
import dev.meshunit.config.HttpRoute;
import dev.meshunit.config.IstioConfig;
import dev.meshunit.config.VirtualService;
import dev.meshunit.journal.RouteRef;
import dev.meshunit.route.RouteDecision;
import dev.meshunit.route.RouteDecision.FaultSpec;
import dev.meshunit.route.RouteDecision.Mirror;
import dev.meshunit.route.RouteDecision.Outcome;
import dev.meshunit.route.RouteDecision.RetrySpec;
import dev.meshunit.route.RouteDecision.Target;
import dev.meshunit.route.RouteRequest;
import dev.meshunit.router.RetryDefaults;
import dev.meshunit.internal.router.RetryOn;
import dev.meshunit.internal.router.RetryPolicy;
import dev.meshunit.routing.RequestView;
import dev.meshunit.internal.routing.Route;
import dev.meshunit.internal.routing.RouteAction;
import dev.meshunit.internal.routing.RouteMatch;
import dev.meshunit.internal.routing.RouteOptions;
import dev.meshunit.internal.routing.RouteTable;
import dev.meshunit.internal.routing.WeightedDestination;
import dev.meshunit.internal.upstream.Cluster;
import dev.meshunit.internal.upstream.ClusterKey;
import dev.meshunit.internal.upstream.Service;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The one place where the dry run meets the proxy's compiled routing: it matches with {@link RouteTable}, as the
 * connection manager does, and reads the matched {@link Route} into a {@link RouteDecision}. Everything a route
 * decides is read from the compiled route except the fault's percentages, read from the rule the route came from.
 */
public final class RoutingAdapter {
    private final IstioConfig config;
    private final RouteTable table;

    public RoutingAdapter(IstioConfig config, String sourceNamespace, Map<String, String> sourceLabels,
            RetryDefaults retryDefaults) {
        this.config = Objects.requireNonNull(config, "config");
        this.table = RouteTable.compile(config, new RouteOptions(sourceNamespace, sourceLabels, retryDefaults));
    }

    public RouteDecision decide(RouteRequest request) {
        RouteMatch match = table.route(request.host(), request.port(), new RequestViewOf(request));
        if (!match.found()) {
            return new RouteDecision(request, Outcome.NO_ROUTE, null, null, List.of(), request.path(), null,
                    FaultSpec.NONE, null, new RetrySpec(0, null, ""), List.of(), 404, null);
        }
        Route route = match.route();
        RouteRef ref = route.ref();
        String name = ref.virtualService() == null ? match.routeName() : ref.virtualService() + "/" + match.routeName();
        FaultSpec fault = fault(ref);
        RetrySpec retries = retries(route.retryPolicy());
        if (route.action() instanceof RouteAction.Redirect r) {
            return new RouteDecision(request, Outcome.REDIRECT, name, ref.virtualService(), List.of(), request.path(), null,
                    fault, route.timeout(), retries, List.of(), r.redirect().code(), location(request, r.redirect(), match));
        }
        if (route.action() instanceof RouteAction.DirectResponse d) {
            return new RouteDecision(request, Outcome.DIRECT_RESPONSE, name, ref.virtualService(), List.of(), request.path(),
                    null, fault, route.timeout(), retries, List.of(), d.status(), null);
        }
        List<WeightedDestination> ds = ((RouteAction.Forward) route.action()).destinations();
        int total = ds.stream().mapToInt(WeightedDestination::weight).sum();
        List<Target> targets = new ArrayList<>();
        for (WeightedDestination d : ds) {
            int port = port(d.host(), d.port(), match.servicePort());
            Cluster cluster = table.clusters().cluster(new ClusterKey(d.host(), port, d.subset()));
            double share = ds.size() == 1 ? 1.0 : (double) d.weight() / total;
            targets.add(new Target(d.host(), d.subset(), port, share, cluster == null ? -1 : cluster.endpoints().size()));
        }
        List<Mirror> mirrors = new ArrayList<>();
        for (Route.MirrorTarget m : route.mirrors()) {
            mirrors.add(new Mirror(m.host(), m.subset(), port(m.host(), m.port(), match.servicePort()), m.percent()));
        }
        String path = route.rewrite().path(request.path(), match.matchedPrefix());
        String authority = route.rewrite().authority();
        if (authority == null) authority = route.requestHeaders().authorityOverride();
        return new RouteDecision(request, Outcome.FORWARD, name, ref.virtualService(), targets, path, authority, fault,
                route.timeout(), retries, mirrors, 0, null);
    }

    /** As the router picks a cluster's port: the destination's, the service's only one, or the one addressed. */
    private int port(String host, Integer declared, int addressed) {
        if (declared != null) return declared;
        Service service = table.clusters().serviceByFqdn(host);
        if (service != null && service.ports().size() == 1) return service.ports().get(0).number();
        return addressed;
    }

    private FaultSpec fault(RouteRef ref) {
        HttpRoute rule = rule(ref);
        HttpFaultInjection f = rule == null ? null : rule.fault();
        if (f == null) return FaultSpec.NONE;
        Duration delay = f.delay() == null || f.delay().fixedDelay() == null ? Duration.ZERO : f.delay().fixedDelay();
        double delayPercent = delay.isZero() ? 0 : f.delay().effectivePercentage();
        int status = f.abort() == null || f.abort().httpStatus() == null ? 0 : f.abort().httpStatus();
        String grpc = f.abort() == null ? null : f.abort().grpcStatus();
        double abortPercent = f.abort() == null ? 0 : f.abort().effectivePercentage();
        return new FaultSpec(delay, delayPercent, status, grpc, abortPercent);
    }

    private HttpRoute rule(RouteRef ref) {
        if (ref.virtualService() == null) return null;
        for (VirtualService vs : config.virtualServices()) {
            if (vs.name().equals(ref.virtualService()) && Objects.equals(vs.metadata().namespace(), ref.namespace())
                    && ref.index() < vs.http().size()) {
                return vs.http().get(ref.index());
            }
        }
        return null;
    }

    private static RetrySpec retries(RetryPolicy p) {
        TreeSet<String> on = new TreeSet<>();
        for (RetryOn c : p.conditions()) on.add(c.token());
        for (Integer code : p.statusCodes()) on.add(Integer.toString(code));
        return new RetrySpec(p.numRetries(), p.perTryTimeout(), String.join(",", on));
    }

    /** The Location a redirect answers, as the connection manager builds it. */
    private static String location(RouteRequest request, HttpRedirect r, RouteMatch match) {
        String scheme = r.scheme() != null ? r.scheme() : request.scheme();
        String host = r.authority() != null ? r.authority() : request.host();
        String port = r.port() != null ? ":" + r.port()
                : "FROM_REQUEST_PORT".equals(r.derivePort()) || (r.derivePort() == null && r.authority() == null)
                        ? ":" + request.port() : "";
        String path = r.uri() != null ? r.uri()
                : r.prefixRewrite() != null && match.matchedPrefix() != null
                        ? r.prefixRewrite() + request.path().substring(match.matchedPrefix().length()) : request.path();
        String query = request.query() == null || path.contains("?") ? "" : "?" + request.query();
        return scheme + "://" + host + port + path + query;
    }

    /** A {@link RouteRequest} as route matching reads a request. */
    private static final class RequestViewOf implements RequestView {
        private final RouteRequest request;

        RequestViewOf(RouteRequest request) {
            this.request = request;
        }

        @Override
        public String method() {
            return request.method();
        }

        @Override
        public String scheme() {
            return request.scheme();
        }

        @Override
        public String path() {
            return request.path();
        }

        @Override
        public List<String> queryParam(String name) {
            List<String> values = new ArrayList<>();
            if (request.query() == null) return values;
            for (String pair : request.query().split("&")) {
                int eq = pair.indexOf('=');
                String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                if (key.equals(name)) values.add(eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
            return values;
        }

        @Override
        public String header(String name) {
            return request.header(name);
        }

        @Override
        public String authority() {
            return request.authority();
        }

        @Override
        public int port() {
            return request.port();
        }
    }
}
