package dev.meshunit.config;

/** Policy for one port; replaces the DestinationRule-level policy for that port as a whole. */
public record PortTrafficPolicy(
        Integer port, LoadBalancerSettings loadBalancer, ConnectionPoolSettings connectionPool,
        OutlierDetection outlierDetection, ClientTlsSettings tls) {}
