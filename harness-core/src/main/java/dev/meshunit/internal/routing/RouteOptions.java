package dev.meshunit.internal.routing;

import dev.meshunit.router.RetryDefaults;
import java.util.Map;

/**
 * How a config is compiled for one proxy: the calling workload's namespace and labels (what
 * {@code sourceLabels} match and short names resolve against) and the mesh default retry policy.
 */
public record RouteOptions(String sourceNamespace, Map<String, String> sourceLabels, RetryDefaults retryDefaults) {
    public static final RouteOptions DEFAULTS = new RouteOptions("default", Map.of(), RetryDefaults.ISTIO_1_24);

    public RouteOptions {
        sourceNamespace = sourceNamespace == null ? "default" : sourceNamespace;
        sourceLabels = Map.copyOf(sourceLabels == null ? Map.of() : sourceLabels);
        retryDefaults = retryDefaults == null ? RetryDefaults.ISTIO_1_24 : retryDefaults;
    }
}
