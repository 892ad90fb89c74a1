package dev.meshunit.internal.filter;

import dev.meshunit.internal.http.HeaderMap;
import dev.meshunit.internal.router.EnvoyHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.util.AsciiString;

/**
 * The names and fixed values the header filter writes or drops, as Netty {@link AsciiString} constants: their
 * case-insensitive hash is computed once, not on every lookup of every request. Immutable.
 */
final class ProxyHeaders {
    static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("x-forwarded-proto");
    static final AsciiString X_REQUEST_ID = AsciiString.cached("x-request-id");
    static final AsciiString X_ENVOY_ORIGINAL_PATH = AsciiString.cached("x-envoy-original-path");
    static final AsciiString X_ENVOY_UPSTREAM_SERVICE_TIME = AsciiString.cached("x-envoy-upstream-service-time");
    static final AsciiString ENVOY = AsciiString.cached("envoy");
    static final AsciiString UPGRADE = AsciiString.cached("upgrade");
    static final AsciiString HTTP = AsciiString.cached("http");
    static final AsciiString HTTPS = AsciiString.cached("https");

    /** Hop-by-hop headers (RFC 9110 7.6.1, and what Envoy also strips), dropped both ways. */
    private static final AsciiString[] HOP_BY_HOP = {HttpHeaderNames.CONNECTION, HttpHeaderNames.KEEP_ALIVE,
        HttpHeaderNames.PROXY_CONNECTION, HttpHeaderNames.PROXY_AUTHORIZATION, HttpHeaderNames.TE, HttpHeaderNames.UPGRADE};

    /** What the upstream never gets of the client's: the hop-by-hop ones, expect, and the router's overrides. */
    private static final AsciiString[] REQUEST_ONLY = {HttpHeaderNames.EXPECT, AsciiString.cached(EnvoyHeaders.ROUTE_TIMEOUT_MS),
        AsciiString.cached(EnvoyHeaders.PER_TRY_TIMEOUT_MS), AsciiString.cached(EnvoyHeaders.MAX_RETRIES)};

    private ProxyHeaders() {}

    static void removeHopByHop(HeaderMap h) {
        for (AsciiString name : HOP_BY_HOP) h.remove(name);
    }

    static void removeRequestOnly(HeaderMap h) {
        for (AsciiString name : REQUEST_ONLY) h.remove(name);
    }

    /** {@code scheme} as a constant when it is the usual one. */
    static CharSequence scheme(String scheme) {
        return switch (scheme) {
            case "http" -> HTTP;
            case "https" -> HTTPS;
            default -> scheme;
        };
    }
}
