package dev.meshunit.config.build;

import dev.meshunit.config.ClientTlsSettings;
import dev.meshunit.config.ConnectionPoolSettings;
import dev.meshunit.config.LoadBalancerSettings;
import dev.meshunit.config.OutlierDetection;
import dev.meshunit.config.RetryBudget;
import dev.meshunit.config.TrafficPolicy;
import java.time.Duration;
import java.util.function.Consumer;

/** Load balancing, circuit breaking, outlier detection and TLS towards a service's endpoints. */
public final class TrafficPolicyBuilder {
    private LoadBalancerSettings loadBalancer;
    private ConnectionPoolSettings.Tcp tcp;
    private ConnectionPoolSettings.Http http;
    private OutlierDetection outlierDetection;
    private ClientTlsSettings tls;
    private RetryBudget retryBudget;

    TrafficPolicyBuilder() {}

    static TrafficPolicy build(Consumer<TrafficPolicyBuilder> spec) {
        TrafficPolicyBuilder b = new TrafficPolicyBuilder();
        spec.accept(b);
        ConnectionPoolSettings pool = b.tcp == null && b.http == null ? null : new ConnectionPoolSettings(b.tcp, b.http);
        return new TrafficPolicy(b.loadBalancer, pool, b.outlierDetection, b.tls, null, b.retryBudget);
    }

    public TrafficPolicyBuilder loadBalancer(LoadBalancerSettings.Simple simple) {
        loadBalancer = new LoadBalancerSettings(simple, null, null, null, null);
        return this;
    }

    /** Ring-hash consistent hashing on a request header. */
    public TrafficPolicyBuilder consistentHashOnHeader(String header) {
        loadBalancer = new LoadBalancerSettings(null,
                new LoadBalancerSettings.ConsistentHash(header, null, null, null, null, null, false, null), null, null, null);
        return this;
    }

    public TrafficPolicyBuilder loadBalancer(LoadBalancerSettings settings) {
        loadBalancer = settings;
        return this;
    }

    public TrafficPolicyBuilder tcp(ConnectionPoolSettings.Tcp tcp) {
        this.tcp = tcp;
        return this;
    }

    public TrafficPolicyBuilder http(ConnectionPoolSettings.Http http) {
        this.http = http;
        return this;
    }

    /** The circuit breaker of Istio's task: connections, queued requests and requests per connection. */
    public TrafficPolicyBuilder circuitBreaker(int maxConnections, int http1MaxPendingRequests, int maxRequestsPerConnection) {
        tcp = new ConnectionPoolSettings.Tcp(maxConnections, null, null, null, null);
        http = new ConnectionPoolSettings.Http(http1MaxPendingRequests, null, maxRequestsPerConnection, null, null, null, null, null);
        return this;
    }

    /** Eject after {@code consecutive5xxErrors}, checked every {@code interval}, for {@code baseEjectionTime} × n. */
    public TrafficPolicyBuilder outlierDetection(int consecutive5xxErrors, Duration interval, Duration baseEjectionTime,
            int maxEjectionPercent) {
        outlierDetection = new OutlierDetection(consecutive5xxErrors, null, null, null, null, interval, baseEjectionTime,
                maxEjectionPercent, null, null);
        return this;
    }

    public TrafficPolicyBuilder outlierDetection(OutlierDetection outlierDetection) {
        this.outlierDetection = outlierDetection;
        return this;
    }

    public TrafficPolicyBuilder tls(ClientTlsSettings tls) {
        this.tls = tls;
        return this;
    }

    public TrafficPolicyBuilder retryBudget(RetryBudget retryBudget) {
        this.retryBudget = retryBudget;
        return this;
    }
}
