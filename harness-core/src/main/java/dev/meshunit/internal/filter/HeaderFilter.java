package dev.meshunit.internal.filter;

import dev.meshunit.internal.http.FilterCallbacks;
import dev.meshunit.internal.http.HeaderMap;
import dev.meshunit.internal.http.RequestHead;
import dev.meshunit.internal.http.ResponseHead;
import dev.meshunit.internal.http.StreamFilter;
import dev.meshunit.internal.http.StreamInfo;
import dev.meshunit.journal.ResponseFlag;
import dev.meshunit.internal.routing.Route;
import dev.meshunit.internal.routing.RouteAction;
import dev.meshunit.internal.routing.WeightedDestination;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.util.UUID;
import java.util.random.RandomGenerator;

/**
 * Header finalisation and mutation: the request as the upstream gets it (hop-by-hop headers dropped, Host,
 * path and authority rewrites, {@code x-forwarded-proto}, {@code x-request-id}, route and destination
 * set/add/remove in Envoy's order), and the answer as the client gets it ({@code server: envoy},
 * {@code x-envoy-upstream-service-time}, response mutations, a hash cookie).
 */
public final class HeaderFilter implements StreamFilter {
    private final FilterCallbacks stream;
    private final RandomGenerator random;

    public HeaderFilter(FilterCallbacks stream, RandomGenerator random) {
        this.stream = stream;
        this.random = random;
    }

    @Override
    public Status decodeHeaders(RequestHead request) {
        StreamInfo info = stream.info();
        Route route = info.match().route();
        HeaderMap h = request.headers().copy();
        ProxyHeaders.removeHopByHop(h);
        // An upgrade the proxy passes on (websocket) keeps its own hop-by-hop pair, as Envoy's codec re-adds it.
        if (RequestHead.WEBSOCKET.equals(request.upgrade())) {
            h.set(HttpHeaderNames.UPGRADE, request.header("upgrade"));
            h.set(HttpHeaderNames.CONNECTION, ProxyHeaders.UPGRADE);
        }
        ProxyHeaders.removeRequestOnly(h);
        h.set(HttpHeaderNames.HOST, request.authority());
        String path = request.path();
        String newPath = route.rewrite().path(path, info.match().matchedPrefix());
        if (route.rewrite().rewritesPath() && !newPath.equals(path)) h.set(ProxyHeaders.X_ENVOY_ORIGINAL_PATH, request.pathAndQuery());
        if (!h.contains(ProxyHeaders.X_FORWARDED_PROTO)) h.set(ProxyHeaders.X_FORWARDED_PROTO, ProxyHeaders.scheme(request.scheme()));
        if (!h.contains(ProxyHeaders.X_REQUEST_ID)) h.set(ProxyHeaders.X_REQUEST_ID, requestId());
        // Envoy evaluates weighted-cluster headers before the route's; with one destination, after.
        HeaderMutation first = weighted(route) ? info.destination().requestHeaders() : route.requestHeaders();
        HeaderMutation second = weighted(route) ? route.requestHeaders() : info.destination().requestHeaders();
        first.apply(h);
        second.apply(h);
        String authority = route.rewrite().authority();
        if (authority == null) authority = second.authorityOverride();
        if (authority == null) authority = first.authorityOverride();
        if (authority != null) h.set(HttpHeaderNames.HOST, authority);
        String uri = newPath.equals(path) ? request.pathAndQuery()
                : request.query() == null ? newPath : newPath + "?" + request.query();
        info.upstreamRequest(h, uri);
        return Status.CONTINUE;
    }

    @Override
    public void encodeHeaders(ResponseHead response, boolean local) {
        StreamInfo info = stream.info();
        HeaderMap h = response.headers();
        if (local) {
            // The proxy's own answers carry the route's response headers only when a fault aborted the request.
            if (info.flags().contains(ResponseFlag.FI)) applyResponseMutations(info, h);
            return;
        }
        String upgrade = response.status() == 101 ? h.get(HttpHeaderNames.UPGRADE) : null;
        ProxyHeaders.removeHopByHop(h);
        if (upgrade != null) {
            h.set(HttpHeaderNames.UPGRADE, upgrade);
            h.set(HttpHeaderNames.CONNECTION, ProxyHeaders.UPGRADE);
        }
        h.set(ProxyHeaders.X_ENVOY_UPSTREAM_SERVICE_TIME, Decimal.of(info.upstreamServiceTimeMs()));
        h.set(HttpHeaderNames.SERVER, ProxyHeaders.ENVOY);
        applyResponseMutations(info, h);
        if (info.setCookie() != null) h.add(HttpHeaderNames.SET_COOKIE, info.setCookie());
    }

    private static void applyResponseMutations(StreamInfo info, HeaderMap h) {
        Route route = info.match().route();
        WeightedDestination d = info.destination();
        HeaderMutation dest = d == null ? HeaderMutation.NONE : d.responseHeaders();
        if (d != null && weighted(route)) {
            dest.apply(h);
            route.responseHeaders().apply(h);
        } else {
            route.responseHeaders().apply(h);
            dest.apply(h);
        }
    }

    private static boolean weighted(Route route) {
        return ((RouteAction.Forward) route.action()).destinations().size() > 1;
    }

    /** Drops the hop-by-hop headers (connection, keep-alive, proxy-*, te, upgrade), whatever their case. */
    public static void removeHopByHop(HeaderMap h) {
        ProxyHeaders.removeHopByHop(h);
    }

    private String requestId() {
        long hi = random.nextLong();
        long lo = random.nextLong();
        return new UUID((hi & ~0xF000L) | 0x4000L, (lo & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L).toString();
    }
}
