package dev.meshunit.config.load.internal;

import dev.meshunit.config.ClientTlsSettings;
import dev.meshunit.config.ConnectionPoolSettings;
import dev.meshunit.config.DestinationRule;
import dev.meshunit.config.LoadBalancerSettings;
import dev.meshunit.config.OutlierDetection;
import dev.meshunit.config.PortTrafficPolicy;
import dev.meshunit.config.Subset;
import dev.meshunit.config.TrafficPolicy;
import java.math.BigInteger;
import java.util.HashSet;
import java.util.Set;

/** Webhook rules for a DestinationRule and its traffic policies. */
public final class DestinationRuleChecks {
    private static final long MAGLEV_MAX = 5_000_011;

    private DestinationRuleChecks() {}

    public static void check(DestinationRule dr, Report r) {
        if (dr.host() == null || dr.host().isEmpty()) r.error("host", "host is required");
        else Checks.host(r, "host", dr.host());
        if (!dr.exportTo().isEmpty()) r.notActedOn("exportTo", NotActedOn.EXPORT_TO);
        if (!dr.workloadSelector().isEmpty()) r.notActedOn("workloadSelector", NotActedOn.WORKLOAD_SELECTOR);
        policy(dr.trafficPolicy(), "trafficPolicy", r, true);
        Set<String> names = new HashSet<>();
        for (int i = 0; i < dr.subsets().size(); i++) {
            Subset s = dr.subsets().get(i);
            String p = "subsets[" + i + "]";
            if (s.name() == null || s.name().isEmpty()) r.error(p + ".name", "subset name is required");
            else Checks.dnsLabel(r, p + ".name", s.name());
            if (s.name() != null && !names.add(s.name())) r.error(p + ".name", "duplicate subset name " + s.name());
            if (s.trafficPolicy() != null) policy(s.trafficPolicy(), p + ".trafficPolicy", r, false);
        }
    }

    private static void policy(TrafficPolicy tp, String path, Report r, boolean top) {
        if (tp == null || tp.equals(TrafficPolicy.NONE)) {
            if (!top && tp != null) r.error(path, "trafficPolicy must have at least one field");
            return;
        }
        loadBalancer(tp.loadBalancer(), path + ".loadBalancer", r);
        connectionPool(tp.connectionPool(), path + ".connectionPool", r);
        outlier(tp.outlierDetection(), path + ".outlierDetection", r);
        tls(tp.tls(), path + ".tls", r);
        if (tp.retryBudget() != null) {
            Checks.percentRange(r, path + ".retryBudget.percent", tp.retryBudget().percent(), "retry budget percent");
            Checks.duration(r, path + ".retryBudget.budgetInterval", tp.retryBudget().budgetInterval());
        }
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < tp.portLevelSettings().size(); i++) {
            PortTrafficPolicy pp = tp.portLevelSettings().get(i);
            String p = path + ".portLevelSettings[" + i + "]";
            if (pp.port() == null) r.error(p + ".port", "portLevelSettings must specify port");
            else if (!ports.add(pp.port())) r.error(p + ".port", "duplicate port " + pp.port());
            Checks.port(r, p + ".port.number", pp.port());
            if (pp.loadBalancer() == null && pp.connectionPool() == null && pp.outlierDetection() == null && pp.tls() == null) {
                r.error(p, "port traffic policy must have at least one field");
            }
            loadBalancer(pp.loadBalancer(), p + ".loadBalancer", r);
            connectionPool(pp.connectionPool(), p + ".connectionPool", r);
            outlier(pp.outlierDetection(), p + ".outlierDetection", r);
            tls(pp.tls(), p + ".tls", r);
        }
    }

    private static void loadBalancer(LoadBalancerSettings lb, String path, Report r) {
        if (lb == null) return;
        if (lb.simple() != null && lb.consistentHash() != null) r.error(path, "only one of simple or consistentHash");
        LoadBalancerSettings.ConsistentHash ch = lb.consistentHash();
        if (ch != null) {
            String p = path + ".consistentHash";
            int keys = (ch.httpHeaderName() != null ? 1 : 0) + (ch.httpCookie() != null ? 1 : 0)
                    + (Boolean.TRUE.equals(ch.useSourceIp()) ? 1 : 0) + (ch.httpQueryParameterName() != null ? 1 : 0);
            if (keys != 1) r.error(p, "exactly one of httpHeaderName, httpCookie, useSourceIp or httpQueryParameterName is required");
            if (ch.httpCookie() != null && (ch.httpCookie().name() == null || ch.httpCookie().name().isEmpty())) {
                r.error(p + ".httpCookie.name", "name required for HttpCookie");
            }
            if (ch.httpCookie() != null && ch.httpCookie().ttl() != null && !ch.httpCookie().ttl().isZero()) {
                Checks.duration(r, p + ".httpCookie.ttl", ch.httpCookie().ttl());
            }
            Long table = ch.maglevTableSize();
            if (table != null && (table >= MAGLEV_MAX || !BigInteger.valueOf(table).isProbablePrime(30))) {
                r.error(p + ".maglev.tableSize", "table size must be a prime number less than 5000011, got " + table);
            }
            if (ch.maglev() && ch.ringHashMinimumRingSize() != null) r.error(p, "only one of ringHash or maglev");
        }
        if (!lb.localityLbSetting().isEmpty()) r.notActedOn(path + ".localityLbSetting", NotActedOn.LOCALITY_LB);
        if (lb.warmup() != null || lb.warmupDurationSecs() != null) {
            String p = path + (lb.warmup() != null ? ".warmup" : ".warmupDurationSecs");
            if (lb.warmup() != null && lb.warmup().duration() == null) r.error(p + ".duration", "warmup duration is required");
            if (lb.warmup() != null) {
                Checks.percentRange(r, p + ".minimumPercent", lb.warmup().minimumPercent(), "minimumPercent");
                if (lb.warmup().aggression() != null && lb.warmup().aggression() <= 0) {
                    r.error(p + ".aggression", "aggression must be > 0, got " + lb.warmup().aggression());
                }
            }
            r.notActedOn(p, NotActedOn.WARMUP);
        }
    }

    private static void connectionPool(ConnectionPoolSettings cp, String path, Report r) {
        if (cp == null) return;
        ConnectionPoolSettings.Tcp tcp = cp.tcp();
        if (tcp != null) {
            String p = path + ".tcp";
            nonNegative(r, p + ".maxConnections", tcp.maxConnections());
            Checks.duration(r, p + ".connectTimeout", tcp.connectTimeout());
            Checks.duration(r, p + ".maxConnectionDuration", tcp.maxConnectionDuration());
            if (tcp.idleTimeout() != null && !tcp.idleTimeout().isZero()) Checks.duration(r, p + ".idleTimeout", tcp.idleTimeout());
            if (tcp.tcpKeepalive() != null) {
                Checks.duration(r, p + ".tcpKeepalive.time", tcp.tcpKeepalive().time());
                Checks.duration(r, p + ".tcpKeepalive.interval", tcp.tcpKeepalive().interval());
                nonNegative(r, p + ".tcpKeepalive.probes", tcp.tcpKeepalive().probes());
            }
        }
        ConnectionPoolSettings.Http http = cp.http();
        if (http != null) {
            String p = path + ".http";
            nonNegative(r, p + ".http1MaxPendingRequests", http.http1MaxPendingRequests());
            nonNegative(r, p + ".http2MaxRequests", http.http2MaxRequests());
            nonNegative(r, p + ".maxRequestsPerConnection", http.maxRequestsPerConnection());
            nonNegative(r, p + ".maxRetries", http.maxRetries());
            nonNegative(r, p + ".maxConcurrentStreams", http.maxConcurrentStreams());
            Checks.duration(r, p + ".idleTimeout", http.idleTimeout());
            if (Boolean.TRUE.equals(http.useClientProtocol()) && "UPGRADE".equals(http.h2UpgradePolicy())) {
                r.error(p + ".useClientProtocol", "useClientProtocol cannot be combined with h2UpgradePolicy UPGRADE");
            }
        }
    }

    private static void outlier(OutlierDetection od, String path, Report r) {
        if (od == null) return;
        nonNegative(r, path + ".consecutive5xxErrors", od.consecutive5xxErrors());
        nonNegative(r, path + ".consecutiveGatewayErrors", od.consecutiveGatewayErrors());
        nonNegative(r, path + ".consecutiveLocalOriginFailures", od.consecutiveLocalOriginFailures());
        if (od.consecutiveLocalOriginFailures() != null && !Boolean.TRUE.equals(od.splitExternalLocalOriginErrors())) {
            r.error(path + ".consecutiveLocalOriginFailures",
                    "consecutive local origin errors is set but split local origin errors is not set");
        }
        if (od.consecutiveErrors() != null) {
            r.warning(path + ".consecutiveErrors", "consecutiveErrors is deprecated and ignored since Istio 1.7; "
                    + "use consecutive5xxErrors or consecutiveGatewayErrors (Envoy's default of 5 consecutive 5xx applies)");
        }
        Checks.duration(r, path + ".interval", od.interval());
        Checks.duration(r, path + ".baseEjectionTime", od.baseEjectionTime());
        Checks.percentRange(r, path + ".maxEjectionPercent", od.maxEjectionPercent(), "max ejection percent");
        Checks.percentRange(r, path + ".minHealthPercent", od.minHealthPercent(), "min health percent");
        for (int i = 0; i < od.outlierDetectionHttpErrorCodes().size(); i++) {
            int code = od.outlierDetectionHttpErrorCodes().get(i);
            if (code < 100 || code > 599) r.error(path + ".outlierDetectionHttpErrorCodes[" + i + "]", "must be in 100..599, got " + code);
        }
    }

    private static void tls(ClientTlsSettings tls, String path, Report r) {
        if (tls == null) return;
        if (tls.mode() == ClientTlsSettings.Mode.MUTUAL && tls.credentialName() == null
                && (tls.clientCertificate() == null || tls.privateKey() == null)) {
            r.error(path, "client certificate and private key are required for mutual tls");
        }
        if (tls.mode() == ClientTlsSettings.Mode.ISTIO_MUTUAL) {
            if (tls.clientCertificate() != null || tls.privateKey() != null || tls.caCertificates() != null
                    || tls.credentialName() != null || tls.sni() != null || !tls.subjectAltNames().isEmpty()) {
                r.error(path, "ISTIO_MUTUAL TLS cannot have associated certificates, keys, SNI or subject alt names");
            }
            r.notActedOn(path + ".mode", NotActedOn.ISTIO_MUTUAL);
        }
    }

    private static void nonNegative(Report r, String path, Integer v) {
        if (v != null && v < 0) r.error(path, "must be >= 0, got " + v);
    }
}
