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
            Integer maxConcurrentStreams, Http2KeepAlive http2KeepAlive) {

        /** Without HTTP/2 keep-alive, which MeshUnit does not act on (upstream connections are HTTP/1.1). */
        public Http(Integer http1MaxPendingRequests, Integer http2MaxRequests, Integer maxRequestsPerConnection,
                Integer maxRetries, Duration idleTimeout, String h2UpgradePolicy, Boolean useClientProtocol,
                Integer maxConcurrentStreams) {
            this(http1MaxPendingRequests, http2MaxRequests, maxRequestsPerConnection, maxRetries, idleTimeout,
                    h2UpgradePolicy, useClientProtocol, maxConcurrentStreams, null);
        }
    }

    /** HTTP/2 PING keep-alive of upstream connections. */
    public record Http2KeepAlive(Duration interval, Duration timeout) {}
}
