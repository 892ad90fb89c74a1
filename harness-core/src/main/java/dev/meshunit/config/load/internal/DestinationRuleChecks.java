package dev.meshunit.config.load.internal;

import dev.meshunit.config.ClientTlsSettings;
import dev.meshunit.config.ConnectionPoolSettings;
import dev.meshunit.config.DestinationRule;
import dev.meshunit.config.LoadBalancerSettings;
import dev.meshunit.config.OutlierDetection;
import dev.meshunit.config.PortTrafficPolicy;
import dev.meshunit.config.Subset;
import dev.meshunit.config.TrafficPolicy;
import java.util.HashSet;
import java.util.Set;

/** Webhook rules for a DestinationRule and its traffic policies. */
public final class DestinationRuleChecks {
    private static final long MAGLEV_MAX = 5_000_011;

    private DestinationRuleChecks() {}

    public static void check(DestinationRule dr, Report r) {
        if (dr.host() == null || dr.host().isEmpty()) r.error("host", "host is required");
        else Checks.host(r, "host", dr.host());
        String ns = dr.metadata().namespace();
        policy(dr.trafficPolicy(), "trafficPolicy", ns, r);
        Set<String> names = new HashSet<>();
        for (int i = 0; i < dr.subsets().size(); i++) {
            Subset s = dr.subsets().get(i);
            String p = "subsets[" + i + "]";
            String name = s.name() == null ? "" : s.name();
            if (!names.add(name)) r.error(p + ".name", "duplicate subset names: " + name);
            if (name.isEmpty()) r.error(p + ".name", "subset name cannot be empty");
            else if (!IstioNames.isDns1123Label(name)) r.error(p + ".name", "subset name is invalid: " + name);
            WorkloadEntryChecks.labels(s.labels(), p + ".labels", r);
            policy(s.trafficPolicy(), p + ".trafficPolicy", ns, r);
        }
        boolean selector = r.written("workloadSelector") || !dr.workloadSelector().isEmpty();
        ExportTo.check(dr.exportTo(), ns, r, false, selector);
        if (selector) {
            WorkloadEntryChecks.selector(dr.workloadSelector(), "workloadSelector.matchLabels", r, "destination rule");
            r.notActedOn("workloadSelector", NotActedOn.WORKLOAD_SELECTOR);
        }
    }

    private static void policy(TrafficPolicy tp, String path, String ns, Report r) {
        // The builder has no {} to write: an empty policy there is simply no policy.
        if (tp == null || tp.equals(TrafficPolicy.NONE) && !r.written(path)) return;
        if (tp.equals(TrafficPolicy.NONE) && !r.written(path + ".tunnel") && !r.written(path + ".proxyProtocol")) {
            r.error(path, "traffic policy must have at least one field");
            return;
        }
        if (r.written(path + ".tunnel") && r.written(path + ".proxyProtocol")) {
            r.error(path, "tunnel and proxyProtocol must not be set together");
            return;
        }
        outlier(tp.outlierDetection(), path + ".outlierDetection", r);
        connectionPool(tp.connectionPool(), path + ".connectionPool", r);
        loadBalancer(tp.loadBalancer(), path + ".loadBalancer", r, tp.outlierDetection());
        TlsChecks.check(tp.tls(), path + ".tls", ns, r);
        if (tp.retryBudget() != null) {
            Checks.percentRange(r, path + ".retryBudget.percent", tp.retryBudget().percent(), "retry budget percent");
            Checks.duration(r, path + ".retryBudget.budgetInterval", tp.retryBudget().budgetInterval());
            if (tp.retryBudget().budgetInterval() != null) r.notActedOn(path + ".retryBudget.budgetInterval", NotActedOn.BUDGET_INTERVAL);
        }
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < tp.portLevelSettings().size(); i++) {
            PortTrafficPolicy pp = tp.portLevelSettings().get(i);
            String p = path + ".portLevelSettings[" + i + "]";
            if (pp.port() == null) r.error(p + ".port", "portTrafficPolicy must have valid port");
            else if (!ports.add(pp.port())) r.warning(p + ".port", "port " + pp.port() + " has an earlier policy; this one is ignored");
            if (pp.loadBalancer() == null && pp.connectionPool() == null && pp.outlierDetection() == null && pp.tls() == null) {
                r.error(p, "port traffic policy must have at least one field");
                continue;
            }
            outlier(pp.outlierDetection(), p + ".outlierDetection", r);
            connectionPool(pp.connectionPool(), p + ".connectionPool", r);
            loadBalancer(pp.loadBalancer(), p + ".loadBalancer", r, pp.outlierDetection());
            TlsChecks.check(pp.tls(), p + ".tls", ns, r);
        }
    }

    private static void loadBalancer(LoadBalancerSettings lb, String path, Report r, OutlierDetection outlier) {
        if (lb == null) return;
        if (lb.simple() != null && lb.consistentHash() != null) r.error(path, "only one of simple or consistentHash");
        LoadBalancerSettings.ConsistentHash ch = lb.consistentHash();
        if (ch != null) {
            String p = path + ".consistentHash";
            int keys = (ch.httpHeaderName() != null ? 1 : 0) + (ch.httpCookie() != null ? 1 : 0)
                    + (Boolean.TRUE.equals(ch.useSourceIp()) ? 1 : 0) + (ch.httpQueryParameterName() != null ? 1 : 0);
            if (keys == 0) r.warning(p, "no hash key (httpHeaderName, httpCookie, useSourceIp or httpQueryParameterName): requests are balanced at random");
            if (keys > 1) r.error(p, "only one of httpHeaderName, httpCookie, useSourceIp or httpQueryParameterName may be set");
            if (ch.httpCookie() != null && (ch.httpCookie().name() == null || ch.httpCookie().name().isEmpty())) {
                r.error(p + ".httpCookie.name", "name required for HttpCookie");
            }
            if (ch.httpCookie() != null) cookieAttributes(ch.httpCookie(), p + ".httpCookie.attributes", r);
            Long table = ch.maglevTableSize();
            if (ch.maglev()) {
                long t = table == null ? 0 : table;
                if (t == 0) r.error(p + ".maglev.tableSize", "tableSize must be set for maglev");
                if (t >= MAGLEV_MAX) r.error(p + ".maglev.tableSize", "tableSize must be less than 5000011 for maglev, got " + t);
                if (t != 0 && !isPrime(t)) r.error(p + ".maglev.tableSize", "tableSize must be a prime number for maglev, got " + t);
            }
            if (ch.maglev() && r.written(p + ".ringHash")) r.error(p, "only one of ringHash or maglev");
            if (ch.minimumRingSize() != null && ch.minimumRingSize() != 0) {
                r.warning(p + ".minimumRingSize", "consistent hash MinimumRingSize is deprecated, use ConsistentHashLB's RingHash configuration instead");
                if (ch.maglev() || r.written(p + ".ringHash")) r.error(p, "only one of MinimumRingSize or Maglev/Ringhash can be specified");
            }
        }
        if (r.written(path + ".localityLbSetting") && r.written(path + ".zoneAwareLbSetting")) {
            r.error(path, "only one of localityLbSetting and zoneAwareLbSetting can be set");
        }
        LocalityChecks.locality(lb.localityLbSetting(), path + ".localityLbSetting", outlier, r);
        LocalityChecks.zoneAware(lb.zoneAwareLbSetting(), path + ".zoneAwareLbSetting", outlier, r);
        if (r.written(path + ".localityLbSetting") || !lb.localityLbSetting().isEmpty()) r.notActedOn(path + ".localityLbSetting", NotActedOn.LOCALITY_LB);
        if (r.written(path + ".zoneAwareLbSetting") || !lb.zoneAwareLbSetting().isEmpty()) r.notActedOn(path + ".zoneAwareLbSetting", NotActedOn.LOCALITY_LB);
        if (lb.warmup() != null || lb.warmupDurationSecs() != null) {
            String p = path + (lb.warmup() != null ? ".warmup" : ".warmupDurationSecs");
            if (lb.warmup() != null && lb.warmup().duration() == null) r.error(p + ".duration", "warmup duration is required");
            if (lb.warmup() != null) {
                Checks.duration(r, p + ".duration", lb.warmup().duration());
                if (lb.warmup().minimumPercent() != null && lb.warmup().minimumPercent() > 100) {
                    r.error(p + ".minimumPercent", "minimumPercent value should be less than or equal to 100");
                }
                if (lb.warmup().aggression() != null && lb.warmup().aggression() <= 0) {
                    r.error(p + ".aggression", "aggression must be > 0, got " + lb.warmup().aggression());
                }
            }
            r.notActedOn(p, NotActedOn.WARMUP);
        }
    }

    private static void connectionPool(ConnectionPoolSettings cp, String path, Report r) {
        if (cp == null) return;
        if (cp.tcp() == null && cp.http() == null) {
            r.error(path, "connection pool must have at least one field");
            return;
        }
        ConnectionPoolSettings.Tcp tcp = cp.tcp();
        if (tcp != null) {
            String p = path + ".tcp";
            nonNegative(r, p + ".maxConnections", tcp.maxConnections());
            Checks.duration(r, p + ".connectTimeout", tcp.connectTimeout());
            Checks.duration(r, p + ".maxConnectionDuration", tcp.maxConnectionDuration());
            if (tcp.maxConnectionDuration() != null) r.notActedOn(p + ".maxConnectionDuration", NotActedOn.UPSTREAM_HTTP);
            if (tcp.idleTimeout() != null) r.notActedOn(p + ".idleTimeout", NotActedOn.UPSTREAM_HTTP);
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
            if (http.http2KeepAlive() != null) {
                String k = p + ".http2KeepAlive";
                if (http.http2KeepAlive().interval() == null) r.error(k + ".interval", "http2 keepalive interval is required");
                if (http.http2KeepAlive().timeout() == null) r.error(k + ".timeout", "http2 keepalive timeout is required");
                Checks.duration(r, k + ".interval", http.http2KeepAlive().interval());
                Checks.duration(r, k + ".timeout", http.http2KeepAlive().timeout());
                r.notActedOn(k, NotActedOn.HTTP2);
            }
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
        if (od.consecutiveLocalOriginFailures() != null && od.consecutiveLocalOriginFailures() > 0
                && !Boolean.TRUE.equals(od.splitExternalLocalOriginErrors())) {
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


    /** Envoy's primality test, as Istio copies it. */
    private static boolean isPrime(long x) {
        if (x != 0 && x < 4) return true;
        if ((x & 1) == 0) return false;
        for (long f = 3; f * f <= x; f += 2) if (x % f == 0) return false;
        return true;
    }

    private static void cookieAttributes(LoadBalancerSettings.HttpCookie cookie, String path, Report r) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < cookie.attributes().size(); i++) {
            String name = cookie.attributes().get(i).name();
            if (name == null || name.isEmpty()) r.error(path + "[" + i + "].name", "cookie attribute name cannot be empty");
            else if (!seen.add(name)) r.error(path + "[" + i + "].name", "duplicate cookie attribute name: " + name);
        }
        if (!cookie.attributes().isEmpty()) r.notActedOn(path, NotActedOn.COOKIE_ATTRIBUTES);
    }

    private static void nonNegative(Report r, String path, Integer v) {
        if (v != null && v < 0) r.error(path, "must be >= 0, got " + v);
    }
}
