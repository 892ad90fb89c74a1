package dev.meshunit.route;

import dev.meshunit.config.IstioConfig;
import dev.meshunit.route.internal.RoutingAdapter;
import dev.meshunit.router.RetryDefaults;
import java.util.List;
import java.util.Map;

/**
 * The proxy's routing without backends or sockets: {@code DryRun.of(config).decide("GET http://reviews:9080/ -H
 * end-user:jason")} says which rule matches and what it would do (see {@link RouteDecision}). Compiled once from
 * the config, as a proxy compiles it; immutable, so one dry run may serve many threads.
 */
public final class DryRun {
    private final RoutingAdapter routing;

    private DryRun(RoutingAdapter routing) {
        this.routing = routing;
    }

    /** Routing as a caller in namespace {@code default} with no labels sees it (the proxy's own default). */
    public static DryRun of(IstioConfig config) {
        return of(config, "default", Map.of());
    }

    /** Routing as the workload with this namespace and labels sees it (what {@code sourceLabels} match). */
    public static DryRun of(IstioConfig config, String sourceNamespace, Map<String, String> sourceLabels) {
        return of(config, sourceNamespace, sourceLabels, RetryDefaults.ISTIO_1_24);
    }

    /** As above, with the retry policy of routes without {@code retries}, as {@code MeshProxy.Builder.retryDefaults}. */
    public static DryRun of(IstioConfig config, String sourceNamespace, Map<String, String> sourceLabels,
            RetryDefaults retryDefaults) {
        return new DryRun(new RoutingAdapter(config, sourceNamespace, sourceLabels, retryDefaults));
    }

    public RouteDecision decide(RouteRequest request) {
        return routing.decide(request);
    }

    /** @param request the form {@link RouteRequest#parse} reads */
    public RouteDecision decide(String request) {
        return decide(RouteRequest.parse(request));
    }

    public List<RouteDecision> decideAll(List<RouteRequest> requests) {
        return requests.stream().map(this::decide).toList();
    }
}
