package dev.meshunit.config;

import java.time.Duration;
import java.util.Map;

/** DestinationRule load balancing: a simple policy or a consistent hash, plus locality and warm-up. */
public record LoadBalancerSettings(
        Simple simple, ConsistentHash consistentHash, Map<String, Object> localityLbSetting, Warmup warmup,
        Duration warmupDurationSecs) {

    public LoadBalancerSettings {
        localityLbSetting = Immutables.map(localityLbSetting);
    }

    public enum Simple { UNSPECIFIED, LEAST_CONN, RANDOM, PASSTHROUGH, ROUND_ROBIN, LEAST_REQUEST }

    /** Exactly one key source; ring hash is the default algorithm. */
    public record ConsistentHash(
            String httpHeaderName, HttpCookie httpCookie, Boolean useSourceIp, String httpQueryParameterName,
            Long ringHashMinimumRingSize, Long maglevTableSize, boolean maglev, Long minimumRingSize) {}

    public record HttpCookie(String name, String path, Duration ttl) {}

    public record Warmup(Duration duration, Double minimumPercent, Double aggression) {}
}
