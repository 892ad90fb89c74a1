package dev.meshunit.config;

import java.util.List;

/** A rule of {@code tcp} or {@code tls}: weighted per connection, no retries, timeouts or faults. */
public record L4Route(List<L4MatchAttributes> match, List<RouteDestination> route) {
    public L4Route {
        match = Immutables.list(match);
        route = Immutables.list(route);
    }
}
