package dev.meshunit.internal.upstream;

import dev.meshunit.upstream.ClusterStats;
import dev.meshunit.config.TrafficPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;

/** A group of endpoints a route can send to, with the policy that governs talking to them. */
public final class Cluster {
    /** Istio's MeshConfig connectTimeout. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final ClusterKey key;
    private final List<Endpoint> endpoints;
    private final LoadBalancer loadBalancer;
    private final HashPolicy hashPolicy;
    private final TrafficPolicy policy;
    private final Duration connectTimeout;
    private final CircuitBreakers breakers;
    private final OutlierDetector outlier;
    private final TlsOrigination tls;

    public Cluster(ClusterKey key, List<Endpoint> endpoints, TrafficPolicy policy) {
        this(key, endpoints, policy, ClusterContext.DEFAULT);
    }

    public Cluster(ClusterKey key, List<Endpoint> endpoints, TrafficPolicy policy, ClusterContext context) {
        this.key = key;
        this.endpoints = List.copyOf(endpoints);
        this.policy = policy == null ? TrafficPolicy.NONE : policy;
        this.loadBalancer = LoadBalancers.of(this.policy.loadBalancer());
        this.hashPolicy = HashPolicy.of(this.policy.loadBalancer());
        Duration ct = this.policy.connectionPool() == null || this.policy.connectionPool().tcp() == null
                ? null
                : this.policy.connectionPool().tcp().connectTimeout();
        this.connectTimeout = ct == null ? DEFAULT_CONNECT_TIMEOUT : ct;
        this.breakers = new CircuitBreakers(this.policy.connectionPool(), this.policy.retryBudget());
        this.tls = TlsOrigination.of(this.policy.tls(), key.host());
        this.outlier = this.policy.outlierDetection() == null ? null
                : new OutlierDetector(key.envoyName(), this.endpoints, this.policy.outlierDetection(), context);
    }

    public ClusterKey key() {
        return key;
    }

    public List<Endpoint> endpoints() {
        return endpoints;
    }

    public TrafficPolicy policy() {
        return policy;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** The cluster-wide connection and request limits of {@code connectionPool}, and their counters. */
    public CircuitBreakers breakers() {
        return breakers;
    }

    /** What distinguishes this cluster's connections to an endpoint from other clusters' (plain text: ""). */
    public String transportKey() {
        return tls == null ? "" : tls.key();
    }

    /** TLS towards the endpoints, or null for plain text. */
    public TlsOrigination tls() {
        return tls;
    }

    public ClusterStats stats() {
        List<ClusterStats.EndpointStats> out = new java.util.ArrayList<>(endpoints.size());
        for (Endpoint e : endpoints) {
            out.add(new ClusterStats.EndpointStats(e.id(), e.activeRequests(), outlier != null && outlier.ejected(e),
                    outlier == null ? 0 : outlier.ejections(e)));
        }
        return new ClusterStats(key.envoyName(), breakers.snapshot(), out);
    }

    /** Where a consistent-hash cluster takes the request's key from; null when it does not hash. */
    public HashPolicy hashPolicy() {
        return hashPolicy;
    }

    /** An endpoint for the next attempt, or null when the cluster has no endpoint (503 UH). */
    public Endpoint choose(RequestHash hash, Set<Endpoint> avoid, RandomGenerator random) {
        List<Endpoint> hosts = endpoints;
        if (outlier != null) {
            List<Endpoint> healthy = outlier.healthy(endpoints);
            int panic = outlier.minHealthPercent();
            // Below the panic threshold Envoy balances over every host, ejected or not; 0 disables that.
            boolean panicking = panic > 0 && healthy.size() * 100.0 < panic * (double) endpoints.size();
            if (!panicking) hosts = healthy;
        }
        if (hosts.isEmpty()) return null;
        return loadBalancer.choose(hosts, avoid, random, hash);
    }

    /** An answer the endpoint sent, for outlier detection. */
    public void responded(Endpoint endpoint, int status) {
        if (outlier != null) outlier.responded(endpoint, status);
    }

    /** A connect failure, reset or timeout before the endpoint answered, for outlier detection. */
    public void localFailure(Endpoint endpoint) {
        if (outlier != null) outlier.localFailure(endpoint);
    }

    /** A new connection to the endpoint succeeded, for outlier detection's split mode. */
    public void connected(Endpoint endpoint) {
        if (outlier != null) outlier.connected(endpoint);
    }
}
