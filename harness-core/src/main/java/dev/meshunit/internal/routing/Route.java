package dev.meshunit.internal.routing;

import dev.meshunit.routing.RequestView;
import dev.meshunit.fault.FaultPolicy;
import dev.meshunit.internal.filter.HeaderMutation;
import dev.meshunit.journal.RouteRef;
import dev.meshunit.internal.router.RetryPolicy;
import java.time.Duration;
import java.util.List;

/**
 * One compiled HTTP rule of a VirtualService (or the default route of a service without one), shared
 * by every request that matches it. {@code timeout} is null when the route has none.
 */
public record Route(
        RouteRef ref,
        List<RequestMatcher> matchers,
        RouteAction action,
        Rewrite rewrite,
        Duration timeout,
        RetryPolicy retryPolicy,
        FaultPolicy fault,
        HeaderMutation requestHeaders,
        HeaderMutation responseHeaders,
        List<MirrorTarget> mirrors) {

    public Route {
        matchers = List.copyOf(matchers);
        mirrors = List.copyOf(mirrors);
    }

    /** The matcher that accepts the request, {@link RequestMatcher#CATCH_ALL} for a rule without matches, or null. */
    RequestMatcher match(RequestView request, int servicePort) {
        if (matchers.isEmpty()) return RequestMatcher.CATCH_ALL;
        for (RequestMatcher m : matchers) {
            if (m.matches(request, servicePort)) return m;
        }
        return null;
    }

    /** A copy of the request to a shadow destination; {@code percent} is 0-100. */
    public record MirrorTarget(String host, String subset, Integer port, double percent) {}
}
