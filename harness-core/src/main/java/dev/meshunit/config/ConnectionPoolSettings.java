package dev.meshunit.config;

import java.time.Duration;

/** Circuit-breaking limits of a cluster; absent or zero means Istio's default (effectively unlimited). */
public record ConnectionPoolSettings(Tcp tcp, Http http) {

    public record Tcp(
            Integer maxConnections, Duration connectTimeout, TcpKeepalive tcpKeepalive,
            Duration maxConnectionDuration, Duration idleTimeout) {}

    public record TcpKeepalive(Integer probes, Duration time, Duration interval) {}

    public record Http(
            Integer http1MaxPendingRequests, Integer http2MaxRequests, Integer maxRequestsPerConnection,
            Integer maxRetries, Duration idleTimeout, String h2UpgradePolicy, Boolean useClientProtocol,
            Integer maxConcurrentStreams) {}
}
