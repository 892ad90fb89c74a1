package dev.meshunit.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** DestinationRule load balancing: a simple policy or a consistent hash, plus locality and warm-up. */
public record LoadBalancerSettings(
        Simple simple, ConsistentHash consistentHash, Map<String, Object> localityLbSetting, Warmup warmup,
        Duration warmupDurationSecs, Map<String, Object> zoneAwareLbSetting) {

    public LoadBalancerSettings(Simple simple, ConsistentHash consistentHash, Map<String, Object> localityLbSetting,
            Warmup warmup, Duration warmupDurationSecs) {
        this(simple, consistentHash, localityLbSetting, warmup, warmupDurationSecs, null);
    }

    public LoadBalancerSettings {
        localityLbSetting = Immutables.map(localityLbSetting);
        zoneAwareLbSetting = Immutables.map(zoneAwareLbSetting);
    }

    public enum Simple { UNSPECIFIED, LEAST_CONN, RANDOM, PASSTHROUGH, ROUND_ROBIN, LEAST_REQUEST }

    /** Exactly one key source; ring hash is the default algorithm. */
    public record ConsistentHash(
            String httpHeaderName, HttpCookie httpCookie, Boolean useSourceIp, String httpQueryParameterName,
            Long ringHashMinimumRingSize, Long maglevTableSize, boolean maglev, Long minimumRingSize) {}

    public record HttpCookie(String name, String path, Duration ttl, List<Attribute> attributes) {
        public HttpCookie {
            attributes = Immutables.list(attributes);
        }

        public HttpCookie(String name, String path, Duration ttl) {
            this(name, path, ttl, null);
        }
    }

    /** An attribute of a generated cookie, such as {@code SameSite=Strict} (Istio 1.28). */
    public record Attribute(String name, String value) {}

    public record Warmup(Duration duration, Double minimumPercent, Double aggression) {}
}
