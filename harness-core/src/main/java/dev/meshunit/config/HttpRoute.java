package dev.meshunit.config;

import java.time.Duration;
import java.util.List;

/** One rule of {@code http}: matches, then one action (route, redirect, directResponse or delegate). */
public record HttpRoute(
        String name,
        List<HttpMatchRequest> match,
        List<HttpRouteDestination> route,
        HttpRedirect redirect,
        HttpDirectResponse directResponse,
        Delegate delegate,
        HttpRewrite rewrite,
        Duration timeout,
        HttpRetry retries,
        HttpFaultInjection fault,
        Destination mirror,
        Double mirrorPercentage,
        Integer mirrorPercent,
        List<HttpMirrorPolicy> mirrors,
        CorsPolicy corsPolicy,
        Headers headers) {

    public HttpRoute {
        match = Immutables.list(match);
        route = Immutables.list(route);
        mirrors = Immutables.list(mirrors);
        headers = headers == null ? Headers.NONE : headers;
    }
}
