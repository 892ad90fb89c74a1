package dev.meshunit.internal.router;

import dev.meshunit.internal.upstream.HashPolicy;
import dev.meshunit.internal.upstream.RequestHash;
import dev.meshunit.internal.http.RequestHead;
import java.util.List;
import java.util.random.RandomGenerator;

/** Takes a request's consistent-hash key where the cluster's hash policy says. */
public final class RequestHashing {
    /** The request's hash, and the {@code Set-Cookie} value for the answer when a cookie was generated. */
    public record Keyed(RequestHash hash, String setCookie) {
        static final Keyed NONE = new Keyed(RequestHash.NONE, null);
    }

    private RequestHashing() {}

    public static Keyed key(HashPolicy policy, RequestHead request, RandomGenerator random) {
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

    /** The value of cookie {@code name} in a Cookie header ({@code a=1; b="2"}), unquoted; null when absent. */
    static String cookie(String header, String name) {
        if (header == null) return null;
        for (String pair : header.split(";")) {
            int eq = pair.indexOf('=');
            if (eq < 0 || !pair.substring(0, eq).trim().equals(name)) continue;
            String value = pair.substring(eq + 1).trim();
            if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                value = value.substring(1, value.length() - 1);
            }
            return value;
        }
        return null;
    }
}
