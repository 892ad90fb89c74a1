package dev.meshunit.internal.upstream;

import dev.meshunit.config.LoadBalancerSettings;
import java.time.Duration;

/**
 * Where a consistent-hash cluster takes the request's key from (Envoy's route hash policy, which Istio
 * derives from the DestinationRule). With a cookie and a {@code ttl}, a request without the cookie gets
 * one generated, and the answer sets it.
 */
public record HashPolicy(Source source, String name, String cookiePath, Duration cookieTtl) {
    public enum Source { HEADER, COOKIE, SOURCE_IP, QUERY_PARAMETER }

    /** The policy of a balancer setting, or null when the cluster does not hash. */
    public static HashPolicy of(LoadBalancerSettings settings) {
        if (settings == null || settings.consistentHash() == null) return null;
        LoadBalancerSettings.ConsistentHash ch = settings.consistentHash();
        if (ch.httpHeaderName() != null) return new HashPolicy(Source.HEADER, ch.httpHeaderName(), null, null);
        if (ch.httpCookie() != null) {
            return new HashPolicy(Source.COOKIE, ch.httpCookie().name(), ch.httpCookie().path(), ch.httpCookie().ttl());
        }
        if (ch.httpQueryParameterName() != null) {
            return new HashPolicy(Source.QUERY_PARAMETER, ch.httpQueryParameterName(), null, null);
        }
        if (Boolean.TRUE.equals(ch.useSourceIp())) return new HashPolicy(Source.SOURCE_IP, null, null, null);
        return null;
    }

    /** Whether a request without the cookie gets one (Envoy: only when a ttl is configured). */
    public boolean generatesCookie() {
        return source == Source.COOKIE && cookieTtl != null;
    }
}
