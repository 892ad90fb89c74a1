package dev.meshunit.config.load.internal;

import dev.meshunit.config.ClientTlsSettings;
import dev.meshunit.config.ConnectionPoolSettings;
import dev.meshunit.config.DestinationRule;
import dev.meshunit.config.LoadBalancerSettings;
import dev.meshunit.config.LoadBalancerSettings.ConsistentHash;
import dev.meshunit.config.Metadata;
import dev.meshunit.config.OutlierDetection;
import dev.meshunit.config.PortTrafficPolicy;
import dev.meshunit.config.RetryBudget;
import dev.meshunit.config.Subset;
import dev.meshunit.config.TrafficPolicy;

/** DestinationRule spec → records; fields asked in the order of destination_rule.proto. */
final class DestinationRuleBinder {
    private DestinationRuleBinder() {}

    static DestinationRule bind(Metadata metadata, Fields f) {
        return new DestinationRule(metadata, f.string("host"), f.object("trafficPolicy", DestinationRuleBinder::policy),
                f.list("subsets", s -> new Subset(s.string("name"), s.stringMap("labels"),
                        s.object("trafficPolicy", DestinationRuleBinder::policy))),
                f.strings("exportTo"), f.object("workloadSelector", w -> w.stringMap("matchLabels")));
    }

    private static TrafficPolicy policy(Fields f) {
        TrafficPolicy p = new TrafficPolicy(f.object("loadBalancer", DestinationRuleBinder::loadBalancer),
                f.object("connectionPool", DestinationRuleBinder::connectionPool),
                f.object("outlierDetection", DestinationRuleBinder::outlier), f.object("tls", DestinationRuleBinder::tls),
                f.list("portLevelSettings", DestinationRuleBinder::portPolicy),
                f.object("retryBudget", b -> new RetryBudget(b.percent("percent"), b.integer("minRetryConcurrency"),
                        b.duration("budgetInterval"))));
        f.object("tunnel", DestinationRuleBinder::tunnel);
        f.object("proxyProtocol", pp -> pp.oneOf("version", "V1", "V2"));
        f.notActedOn("tunnel", NotActedOn.TUNNEL);
        f.notActedOn("proxyProtocol", NotActedOn.PROXY_PROTOCOL);
        return p;
    }

    /** Not kept (not acted on), but read field by field and checked as Istio's validateTunnelSettings does. */
    private static Void tunnel(Fields f) {
        String protocol = f.string("protocol");
        String host = f.string("targetHost");
        Integer port = f.integer("targetPort");
        Ctx ctx = f.ctx();
        Node at = f.node("protocol");
        if (protocol != null && !protocol.isEmpty() && !protocol.equals("CONNECT") && !protocol.equals("POST")) {
            ctx.error(f.path("protocol"), at.mark(), "tunnel protocol must be \"CONNECT\" or \"POST\"");
        }
        String h = host == null ? "" : host;
        if (IstioNames.fqdn(h) != null && !IstioNames.isIp(h)) {
            ctx.error(f.path("targetHost"), (f.has("targetHost") ? f.node("targetHost") : f.nodeItself()).mark(),
                    "tunnel target host must be valid FQDN or IP address: " + IstioNames.fqdn(h));
        }
        if (port == null || port < 1 || port > 65535) {
            ctx.error(f.path("targetPort"), (f.has("targetPort") ? f.node("targetPort") : f.nodeItself()).mark(),
                    "tunnel target port is invalid: port number " + (port == null ? 0 : port) + " must be in the range 1..65535");
        }
        return null;
    }

    /** Utilization-based balancing (ORCA): read and type-checked, not acted on. */
    private static Void backendUtilization(Fields f) {
        f.integer("errorUtilizationPenaltyPercent");
        f.strings("metricNamesForComputingUtilization");
        f.duration("weightExpirationPeriod");
        f.duration("weightStabilizationPeriod");
        f.duration("weightUpdatePeriod");
        return null;
    }

    private static PortTrafficPolicy portPolicy(Fields f) {
        return new PortTrafficPolicy(f.object("port", p -> p.integer("number")),
                f.object("loadBalancer", DestinationRuleBinder::loadBalancer),
                f.object("connectionPool", DestinationRuleBinder::connectionPool),
                f.object("outlierDetection", DestinationRuleBinder::outlier), f.object("tls", DestinationRuleBinder::tls));
    }

    private static LoadBalancerSettings loadBalancer(Fields f) {
        f.object("backendUtilization", DestinationRuleBinder::backendUtilization);
        f.notActedOn("backendUtilization", NotActedOn.BACKEND_UTILIZATION);
        return new LoadBalancerSettings(f.enumValue("simple", LoadBalancerSettings.Simple.class),
                f.object("consistentHash", DestinationRuleBinder::consistentHash), f.raw("localityLbSetting"),
                f.object("warmup", w -> new LoadBalancerSettings.Warmup(w.duration("duration"),
                        w.percent("minimumPercent"), w.number("aggression"))),
                f.duration("warmupDurationSecs"), f.raw("zoneAwareLbSetting"));
    }

    private static ConsistentHash consistentHash(Fields f) {
        String header = f.string("httpHeaderName");
        LoadBalancerSettings.HttpCookie cookie = f.object("httpCookie",
                c -> new LoadBalancerSettings.HttpCookie(c.string("name"), c.string("path"), c.duration("ttl"),
                        c.list("attributes", a -> new LoadBalancerSettings.Attribute(a.string("name"), a.string("value")))));
        Boolean sourceIp = f.bool("useSourceIp");
        String query = f.string("httpQueryParameterName");
        Long ringSize = f.object("ringHash", r -> r.longValue("minimumRingSize"));
        Long tableSize = f.object("maglev", m -> m.longValue("tableSize"));
        return new ConsistentHash(header, cookie, sourceIp, query, ringSize, tableSize, f.has("maglev"),
                f.longValue("minimumRingSize"));
    }

    private static ConnectionPoolSettings connectionPool(Fields f) {
        return new ConnectionPoolSettings(
                f.object("tcp", t -> new ConnectionPoolSettings.Tcp(t.integer("maxConnections"), t.duration("connectTimeout"),
                        t.object("tcpKeepalive", k -> new ConnectionPoolSettings.TcpKeepalive(k.integer("probes"),
                                k.duration("time"), k.duration("interval"))),
                        t.duration("maxConnectionDuration"), t.duration("idleTimeout"))),
                f.object("http", h -> new ConnectionPoolSettings.Http(h.integer("http1MaxPendingRequests"),
                        h.integer("http2MaxRequests"), h.integer("maxRequestsPerConnection"), h.integer("maxRetries"),
                        h.duration("idleTimeout"), h.oneOf("h2UpgradePolicy", "DEFAULT", "DO_NOT_UPGRADE", "UPGRADE"),
                        h.bool("useClientProtocol"), h.integer("maxConcurrentStreams"),
                        h.object("http2KeepAlive", k -> new ConnectionPoolSettings.Http2KeepAlive(k.duration("interval"),
                                k.duration("timeout"))))));
    }

    private static OutlierDetection outlier(Fields f) {
        return new OutlierDetection(f.integer("consecutive5xxErrors"), f.integer("consecutiveGatewayErrors"),
                f.integer("consecutiveLocalOriginFailures"), f.bool("splitExternalLocalOriginErrors"),
                f.integer("consecutiveErrors"), f.duration("interval"), f.duration("baseEjectionTime"),
                f.integer("maxEjectionPercent"), f.integer("minHealthPercent"), f.integers("outlierDetectionHttpErrorCodes"));
    }

    private static ClientTlsSettings tls(Fields f) {
        return new ClientTlsSettings(f.enumValue("mode", ClientTlsSettings.Mode.class), f.string("clientCertificate"),
                f.string("privateKey"), f.string("caCertificates"), f.string("caCrl"), f.string("credentialName"),
                f.strings("subjectAltNames"), f.string("sni"), f.bool("insecureSkipVerify"));
    }
}
