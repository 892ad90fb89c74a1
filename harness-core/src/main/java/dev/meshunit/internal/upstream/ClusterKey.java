package dev.meshunit.internal.upstream;

/** Envoy's cluster identity at the source: service FQDN, service port and subset (null for all endpoints). */
public record ClusterKey(String host, int port, String subset) {
    /** Istio's cluster name, {@code outbound|9080|v1|reviews.default.svc.cluster.local}. */
    public String envoyName() {
        return "outbound|" + port + "|" + (subset == null ? "" : subset) + "|" + host;
    }

    @Override
    public String toString() {
        return envoyName();
    }
}
