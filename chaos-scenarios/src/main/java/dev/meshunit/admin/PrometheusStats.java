package dev.meshunit.admin;

import dev.meshunit.MeshProxy;
import dev.meshunit.journal.Attempt;
import dev.meshunit.journal.DestinationRef;
import dev.meshunit.journal.Exchange;
import dev.meshunit.journal.ResponseFlag;
import dev.meshunit.upstream.ClusterStats;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;

/**
 * {@code GET /stats/prometheus}: Istio's standard request metrics and Envoy's cluster statistics in Prometheus'
 * text format, kept in a registry of this admin server's own (never the global one). Request metrics count
 * every exchange recorded since the server started (a journal reset does not reset them, as counters go);
 * the circuit-breaker and outlier figures are read from the proxy at each scrape.
 */
final class PrometheusStats implements AutoCloseable {
    /** Istio's default buckets for {@code istio_request_duration_milliseconds}. */
    private static final double[] ISTIO_BUCKETS = {1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000,
            60000, 300000, 600000, 1800000, 3600000};

    private final MeshProxy proxy;
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final Counter requests;
    private final Histogram duration;
    private final Counter upstreamRq;
    private final Counter upstreamRqByClass;
    private final Counter retries;
    private final Counter timeouts;
    private final Runnable unsubscribe;
    private final Map<String, LongAdder> flagCounts = new ConcurrentHashMap<>();

    PrometheusStats(MeshProxy proxy) {
        this.proxy = proxy;
        requests = Counter.builder().name("istio_requests_total")
                .help("Requests the proxy answered (reporter=source), by destination, subset, status and Envoy response flags")
                .labelNames("reporter", "destination_service", "destination_subset", "response_code", "response_flags")
                .register(registry);
        duration = Histogram.builder().name("istio_request_duration_milliseconds").classicOnly()
                .classicUpperBounds(ISTIO_BUCKETS).help("Time from the request's first byte to the answer, in ms")
                .labelNames("reporter", "destination_service", "destination_subset", "response_code")
                .register(registry);
        upstreamRq = cluster("envoy_cluster_upstream_rq", "Upstream attempts (each retry counts)");
        upstreamRqByClass = Counter.builder().name("envoy_cluster_upstream_rq_xx")
                .help("Upstream attempts answered, by response code class")
                .labelNames("envoy_cluster_name", "envoy_response_code_class").register(registry);
        retries = cluster("envoy_cluster_upstream_rq_retry", "Retries: attempts after the first of a request");
        timeouts = cluster("envoy_cluster_upstream_rq_timeout", "Requests that ended in a route or per-try timeout (UT)");
        gauge("envoy_cluster_upstream_cx_active", "Open upstream connections", c -> c.breakers().connections());
        gauge("envoy_cluster_upstream_rq_active", "Upstream requests in flight", c -> c.breakers().activeRequests());
        gauge("envoy_cluster_upstream_rq_pending_active", "Requests waiting for a connection",
                c -> c.breakers().pendingRequests());
        gauge("envoy_cluster_outlier_detection_ejections_active", "Endpoints ejected now",
                c -> c.endpoints().stream().filter(ClusterStats.EndpointStats::ejected).count());
        overflow("envoy_cluster_upstream_cx_overflow", "maxConnections overflows", c -> c.breakers().connectionOverflows());
        overflow("envoy_cluster_upstream_rq_pending_overflow", "Pending-request overflows (503 UO)",
                c -> c.breakers().pendingOverflows());
        overflow("envoy_cluster_upstream_rq_retry_overflow", "Retries refused by the retry budget or maxRetries",
                c -> c.breakers().retryOverflows());
        GaugeWithCallback.builder().name("meshunit_shadows_in_flight").help("Mirrored copies still under way")
                .callback(cb -> cb.call(proxy.shadowsInFlight())).register(registry);
        unsubscribe = proxy.journal().onRecord(this::count);
    }

    private Counter cluster(String name, String help) {
        return Counter.builder().name(name).help(help).labelNames("envoy_cluster_name").register(registry);
    }

    private void gauge(String name, String help, ToDoubleFunction<ClusterStats> value) {
        GaugeWithCallback.builder().name(name).help(help).labelNames("envoy_cluster_name")
                .callback(cb -> clusters().forEach(c -> cb.call(value.applyAsDouble(c), c.name()))).register(registry);
    }

    private void overflow(String name, String help, ToLongFunction<ClusterStats> value) {
        CounterWithCallback.builder().name(name).help(help).labelNames("envoy_cluster_name")
                .callback(cb -> clusters().forEach(c -> cb.call(value.applyAsLong(c), c.name()))).register(registry);
    }

    private List<ClusterStats> clusters() {
        return proxy.clusterStats();
    }

    // The series an exchange adds to, looked up once per label combination rather than per exchange: labelValues
    // builds and hashes a label list on every call, which the proxy's hot path paid for each request.
    private record RequestKey(DestinationRef destination, int status, java.util.Set<ResponseFlag> flags) {}

    private record RequestSeries(CounterDataPoint requests, DistributionDataPoint duration, LongAdder[] flags) {}

    private final class ClusterSeries {
        final CounterDataPoint upstreamRq;
        final CounterDataPoint retries;
        final CounterDataPoint timeouts;
        final CounterDataPoint[] byClass = new CounterDataPoint[10];
        // Most exchanges carry no flag: their request series by status, found without a key object or set hashing.
        final RequestSeries[] unflagged = new RequestSeries[600];
        final DestinationRef ref;
        final String name;

        ClusterSeries(DestinationRef d) {
            ref = d;
            name = envoyName(d);
            upstreamRq = PrometheusStats.this.upstreamRq.labelValues(name);
            retries = PrometheusStats.this.retries.labelValues(name);
            timeouts = PrometheusStats.this.timeouts.labelValues(name);
        }

        CounterDataPoint byClass(int status) {
            int c = Math.min(status / 100, byClass.length - 1);
            CounterDataPoint p = byClass[c];
            if (p == null) byClass[c] = p = upstreamRqByClass.labelValues(name, Integer.toString(status / 100));
            return p;
        }

        /** The series of an exchange without flags; racing threads find the same series in the map. */
        RequestSeries unflagged(int status) {
            if (status < 0 || status >= unflagged.length) return requestSeries(ref, status, java.util.Set.of());
            RequestSeries s = unflagged[status];
            if (s == null) unflagged[status] = s = requestSeries(ref, status, java.util.Set.of());
            return s;
        }
    }

    private final Map<RequestKey, RequestSeries> requestSeries = new ConcurrentHashMap<>();
    private final Map<DestinationRef, ClusterSeries> clusterSeries = new ConcurrentHashMap<>();

    private RequestSeries requestSeries(RequestKey key) {
        DestinationRef d = key.destination();
        String service = d == null || d.host() == null ? "unknown" : d.host();
        String subset = d == null || d.subset() == null ? "" : d.subset();
        String code = Integer.toString(key.status());
        LongAdder[] flags = key.flags().stream()
                .map(f -> flagCounts.computeIfAbsent(f.name(), k -> new LongAdder())).toArray(LongAdder[]::new);
        return new RequestSeries(requests.labelValues("source", service, subset, code, flags(key.flags())),
                duration.labelValues("source", service, subset, code), flags);
    }

    private RequestSeries requestSeries(DestinationRef d, int status, java.util.Set<ResponseFlag> flags) {
        return requestSeries.computeIfAbsent(new RequestKey(d, status, flags), this::requestSeries);
    }

    private void count(Exchange e) {
        DestinationRef d = e.destination();
        ClusterSeries cluster = d == null || d.host() == null ? null : clusterSeries.computeIfAbsent(d, ClusterSeries::new);
        RequestSeries series = cluster != null && e.flags().isEmpty() ? cluster.unflagged(e.status())
                : requestSeries(d, e.status(), e.flags());
        series.requests().inc();
        for (LongAdder f : series.flags()) f.increment();
        series.duration().observe(e.durationMs());
        if (cluster == null) return;
        List<Attempt> attempts = e.attempts(); // indexed: no iterator per exchange
        for (int i = 0; i < attempts.size(); i++) {
            Attempt a = attempts.get(i);
            cluster.upstreamRq.inc();
            if (a.status() > 0) cluster.byClass(a.status()).inc();
        }
        if (e.retries() > 0) cluster.retries.inc(e.retries());
        if (e.hasFlag(ResponseFlag.UT)) cluster.timeouts.inc();
    }

    /** Envoy's cluster name: {@code outbound|9080|v1|ratings.default.svc.cluster.local}. */
    static String envoyName(DestinationRef d) {
        return "outbound|" + d.port() + "|" + (d.subset() == null ? "" : d.subset()) + "|" + d.host();
    }

    /** Envoy's access-log spelling: {@code -} for none, else the flags joined by commas. */
    private static String flags(java.util.Set<ResponseFlag> flags) {
        if (flags.isEmpty()) return "-";
        return flags.stream().map(Enum::name).sorted().collect(Collectors.joining(","));
    }

    /** Exchanges per response flag since the server started, for {@code GET /stats}. */
    java.util.Map<String, Long> flagCounts() {
        java.util.Map<String, Long> out = new java.util.TreeMap<>();
        flagCounts.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    AdminServer.Reply scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            writer.write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new AdminServer.Reply(200, writer.getContentType(), out.toString(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        unsubscribe.run();
    }
}
