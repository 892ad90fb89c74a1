package dev.meshunit.journal;

/** Which rule served a request: the VirtualService, the rule's index and Envoy's route name. */
public record RouteRef(String virtualService, String namespace, int index, String name) {
    /** The implicit route of a host that has no VirtualService. */
    public static RouteRef defaultRoute(String host) {
        return new RouteRef(null, null, -1, "default:" + host);
    }
}
