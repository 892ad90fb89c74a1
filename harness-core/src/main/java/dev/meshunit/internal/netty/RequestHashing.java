package dev.meshunit.internal.netty;

import dev.meshunit.upstream.HashPolicy;
import dev.meshunit.upstream.RequestHash;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import java.util.List;
import java.util.random.RandomGenerator;

/** Takes a request's consistent-hash key where the cluster's hash policy says. */
final class RequestHashing {
    /** The request's hash, and the {@code Set-Cookie} value for the answer when a cookie was generated. */
    record Keyed(RequestHash hash, String setCookie) {
        static final Keyed NONE = new Keyed(RequestHash.NONE, null);
    }

    private RequestHashing() {}

    static Keyed key(HashPolicy policy, ParsedRequest request, RandomGenerator random) {
        if (policy == null) return Keyed.NONE;
        String key = switch (policy.source()) {
            case HEADER -> request.header(policy.name());
            case QUERY_PARAMETER -> first(request.queryParam(policy.name()));
            case SOURCE_IP -> sourceIp(request.source());
            case COOKIE -> cookie(request.header("cookie"), policy.name());
        };
        if (key != null) return new Keyed(RequestHash.of(key), null);
        if (!policy.generatesCookie()) return Keyed.NONE;
        String value = Long.toHexString(random.nextLong());
        // Envoy's rendering: quoted value, Path, Max-Age (none for a session cookie, ttl 0s), HttpOnly.
        StringBuilder setCookie = new StringBuilder(policy.name()).append("=\"").append(value).append('"');
        if (policy.cookiePath() != null) setCookie.append("; Path=").append(policy.cookiePath());
        if (!policy.cookieTtl().isZero()) setCookie.append("; Max-Age=").append(policy.cookieTtl().toSeconds());
        return new Keyed(RequestHash.of(value), setCookie.append("; HttpOnly").toString());
    }

    private static String first(List<String> values) {
        return values.isEmpty() ? null : values.get(0);
    }

    private static String sourceIp(String source) {
        int colon = source.lastIndexOf(':');
        return colon > 0 ? source.substring(0, colon) : source;
    }

    private static String cookie(String header, String name) {
        if (header == null) return null;
        for (Cookie c : ServerCookieDecoder.LAX.decode(header)) {
            if (c.name().equals(name)) return c.value();
        }
        return null;
    }
}
