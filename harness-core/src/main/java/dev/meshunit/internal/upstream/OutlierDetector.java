package dev.meshunit.internal.upstream;

import dev.meshunit.config.OutlierDetection;
import dev.meshunit.journal.OutlierEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Envoy's outlier detector for one cluster, with the defaults Istio passes: consecutive 5xx (5), gateway
 * errors (off), local-origin failures (5, only in split mode); ejection for baseEjectionTime x number of
 * ejections, capped at max(300 s, base); at most maxEjectionPercent (10%) of hosts ejected. Ejection is
 * inline on the failure that trips it; return happens on the sweep every {@code interval}, run lazily on
 * the injected clock when the cluster is next used. Thread-safe (one lock; clusters are small).
 */
final class OutlierDetector {
    private static final Duration MAX_EJECTION_TIME = Duration.ofSeconds(300);

    private final String cluster;
    private final ClusterContext context;
    private final int consecutive5xx;
    private final int consecutiveGateway;
    private final int consecutiveLocal;
    private final boolean split;
    private final long intervalMs;
    private final long baseMs;
    private final long maxEjectionMs;
    private final int maxEjectionPercent;
    private final int minHealthPercent;
    private final List<Integer> errorCodes;
    private final Map<Endpoint, Host> hosts = new LinkedHashMap<>();
    private long nextSweep;

    private static final class Host {
        int errors5xx;
        int gatewayErrors;
        int localErrors;
        boolean ejected;
        long ejectedAt;
        int multiplier;
        int ejections;
    }

    OutlierDetector(String cluster, List<Endpoint> endpoints, OutlierDetection od, ClusterContext context) {
        this.cluster = cluster;
        this.context = context;
        this.consecutive5xx = od.consecutive5xxErrors() == null ? 5 : od.consecutive5xxErrors();
        this.consecutiveGateway = od.consecutiveGatewayErrors() == null ? 0 : od.consecutiveGatewayErrors();
        this.split = Boolean.TRUE.equals(od.splitExternalLocalOriginErrors());
        this.consecutiveLocal = od.consecutiveLocalOriginFailures() == null ? 5 : od.consecutiveLocalOriginFailures();
        this.intervalMs = millis(od.interval(), Duration.ofSeconds(10));
        this.baseMs = millis(od.baseEjectionTime(), Duration.ofSeconds(30));
        this.maxEjectionMs = Math.max(MAX_EJECTION_TIME.toMillis(), baseMs);
        this.maxEjectionPercent = od.maxEjectionPercent() == null ? 10 : od.maxEjectionPercent();
        this.minHealthPercent = od.minHealthPercent() == null ? 0 : od.minHealthPercent();
        this.errorCodes = od.outlierDetectionHttpErrorCodes();
        for (Endpoint e : endpoints) hosts.put(e, new Host());
        this.nextSweep = context.clock().millis() + intervalMs;
    }

    private static long millis(Duration d, Duration dflt) {
        return d == null || d.isZero() || d.isNegative() ? dflt.toMillis() : d.toMillis();
    }

    /** Istio's minHealthPercent, Envoy's panic threshold: 0 disables panic routing. */
    int minHealthPercent() {
        return minHealthPercent;
    }

    /** The endpoints not ejected now, in their order. */
    synchronized List<Endpoint> healthy(List<Endpoint> all) {
        sweep(context.clock().millis());
        List<Endpoint> out = new ArrayList<>(all.size());
        for (Endpoint e : all) {
            if (!hosts.get(e).ejected) out.add(e);
        }
        return out;
    }

    /** An answer from the endpoint (a status the endpoint sent, not one the proxy made). */
    synchronized void responded(Endpoint e, int status) {
        long now = context.clock().millis();
        sweep(now);
        Host h = hosts.get(e);
        boolean error = errorCodes.isEmpty() ? status >= 500 && status <= 599 : errorCodes.contains(status);
        if (!error) {
            h.errors5xx = 0;
            h.gatewayErrors = 0;
            if (!split) h.localErrors = 0;
            return;
        }
        externalError(e, h, status == 502 || status == 503 || status == 504, now);
    }

    /** A connection failure, reset or timeout before any answer. */
    synchronized void localFailure(Endpoint e) {
        long now = context.clock().millis();
        sweep(now);
        Host h = hosts.get(e);
        if (!split) {
            // Without the split, Envoy counts a local-origin failure as a 503 from the endpoint.
            externalError(e, h, true, now);
            return;
        }
        h.localErrors++;
        if (consecutiveLocal > 0 && h.localErrors >= consecutiveLocal) eject(e, h, "consecutive_local_origin_failure", now);
    }

    /** A connection was established: in split mode this ends a run of local-origin failures. */
    synchronized void connected(Endpoint e) {
        if (split) hosts.get(e).localErrors = 0;
    }

    private void externalError(Endpoint e, Host h, boolean gateway, long now) {
        if (gateway) {
            h.gatewayErrors++;
        } else {
            h.gatewayErrors = 0;
        }
        h.errors5xx++;
        if (consecutiveGateway > 0 && h.gatewayErrors >= consecutiveGateway) {
            eject(e, h, "consecutive_gateway_failure", now);
        } else if (consecutive5xx > 0 && h.errors5xx >= consecutive5xx) {
            eject(e, h, "consecutive_5xx", now);
        }
    }

    private void eject(Endpoint e, Host h, String reason, long now) {
        h.errors5xx = 0;
        h.gatewayErrors = 0;
        h.localErrors = 0;
        if (h.ejected) return;
        int ejected = 0;
        for (Host other : hosts.values()) {
            if (other.ejected) ejected++;
        }
        // Modern Envoy: eject only if the ejected share, this host included, stays within the maximum.
        if ((ejected + 1) * 100.0 / hosts.size() > maxEjectionPercent) return;
        h.ejected = true;
        h.ejectedAt = now;
        h.multiplier++;
        h.ejections++;
        context.events().accept(new OutlierEvent.Ejected(e.id(), cluster, Instant.ofEpochMilli(now), reason,
                h.ejections, Instant.ofEpochMilli(now + ejectionMs(h))));
    }

    private long ejectionMs(Host h) {
        return Math.min(baseMs * h.multiplier, maxEjectionMs);
    }

    /** Runs the sweeps due by {@code now}: returns hosts whose time is up, decays the others' multipliers. */
    private void sweep(long now) {
        for (int i = 0; now >= nextSweep && i < 10_000; i++) {
            long at = nextSweep;
            nextSweep += intervalMs;
            for (Map.Entry<Endpoint, Host> entry : hosts.entrySet()) {
                Host h = entry.getValue();
                if (h.ejected && at >= h.ejectedAt + ejectionMs(h)) {
                    h.ejected = false;
                    context.events().accept(new OutlierEvent.Returned(entry.getKey().id(), cluster, Instant.ofEpochMilli(at)));
                } else if (!h.ejected && h.multiplier > 0) {
                    h.multiplier--;
                }
            }
        }
        if (now >= nextSweep) nextSweep = now - (now - nextSweep) % intervalMs + intervalMs;
    }

    synchronized boolean ejected(Endpoint e) {
        sweep(context.clock().millis());
        return hosts.get(e).ejected;
    }

    synchronized int ejections(Endpoint e) {
        return hosts.get(e).ejections;
    }
}
