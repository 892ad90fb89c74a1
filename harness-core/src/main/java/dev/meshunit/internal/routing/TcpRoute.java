package dev.meshunit.internal.routing;

import dev.meshunit.journal.RouteRef;
import java.net.InetAddress;
import java.util.List;

/**
 * One compiled rule of {@code tcp:} or {@code tls:} (or the default route of an opaque service port): its
 * matches, OR-ed, and the weighted destinations, picked once per connection.
 */
public record TcpRoute(RouteRef ref, List<L4Matcher> matchers, RouteAction.Forward action) {
    public TcpRoute {
        matchers = List.copyOf(matchers);
    }

    /** Whether a listener on {@code port} gets this rule (a rule without matches: always). */
    boolean appliesTo(int port) {
        return matchers.isEmpty() || matchers.stream().anyMatch(m -> m.appliesTo(port));
    }

    boolean matches(int port, String sni, List<InetAddress> destinations) {
        if (matchers.isEmpty()) return true;
        for (L4Matcher m : matchers) {
            if (m.matches(port, sni, destinations)) return true;
        }
        return false;
    }
}
