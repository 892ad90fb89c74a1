package dev.meshunit.internal.netty;

import dev.meshunit.config.ConnectionPoolSettings;
import dev.meshunit.config.ServicePort;
import dev.meshunit.internal.upstream.Cluster;
import dev.meshunit.internal.upstream.Service;
import java.util.Locale;

/**
 * Which codec an attempt speaks to the endpoint, as Istio configures the cluster: with {@code useClientProtocol}
 * the client's own; else HTTP/2 to ports of protocol HTTP2, GRPC or GRPC-WEB, and to HTTP ports when the
 * DestinationRule says {@code h2UpgradePolicy: UPGRADE} (the mesh default, DO_NOT_UPGRADE, applies otherwise);
 * else HTTP/1.1. HTTP/2 is h2c with prior knowledge, or h2 by ALPN over TLS origination.
 */
final class UpstreamProtocol {
    private UpstreamProtocol() {}

    static boolean http2(ProxyRuntime runtime, Cluster cluster, boolean clientHttp2) {
        ConnectionPoolSettings pool = cluster.policy().connectionPool();
        ConnectionPoolSettings.Http http = pool == null ? null : pool.http();
        if (http != null && Boolean.TRUE.equals(http.useClientProtocol())) return clientHttp2;
        String protocol = portProtocol(runtime, cluster);
        if (protocol.equals("HTTP2") || protocol.equals("GRPC") || protocol.equals("GRPC-WEB")) return true;
        return protocol.equals("HTTP") && http != null && "UPGRADE".equals(http.h2UpgradePolicy());
    }

    private static String portProtocol(ProxyRuntime runtime, Cluster cluster) {
        Service s = runtime.table().clusters().serviceByFqdn(cluster.key().host());
        if (s == null) return "";
        for (ServicePort p : s.ports()) {
            if (p.number() == cluster.key().port()) {
                return p.protocol() == null ? "" : p.protocol().toUpperCase(Locale.ROOT);
            }
        }
        return "";
    }
}
