package dev.meshunit.internal.routing;

/** The rule a connection takes, or {@link #NONE}: then the proxy closes it (flag NR). */
public record TcpRouteMatch(TcpRoute route) {
    public static final TcpRouteMatch NONE = new TcpRouteMatch(null);

    public boolean found() {
        return route != null;
    }
}
