package dev.meshunit.internal.routing;

/**
 * The outcome of routing one request: the rule that matched (null: no route, answer 404 NR), the prefix a
 * uri prefix match consumed, the service port the request addressed, and Envoy's route name
 * ({@code <http.name>.<match.name>}).
 */
public record RouteMatch(Route route, String matchedPrefix, int servicePort, String routeName) {
    public static final RouteMatch NONE = new RouteMatch(null, null, 0, null);

    public boolean found() {
        return route != null;
    }
}
