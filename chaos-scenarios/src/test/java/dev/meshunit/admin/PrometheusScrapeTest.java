package dev.meshunit.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshunit.testing.TestBackend;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code GET /stats/prometheus} scraped and read by Prometheus' text-format parser. */
class PrometheusScrapeTest {
    private static final String V1 = "outbound|9080|v1|reviews.default.svc.cluster.local";
    private final AdminFixture f = new AdminFixture();

    @AfterEach
    void stop() {
        f.close();
    }

    @Test
    void requestsByFlagAndClusterCountersAreWhatTheJournalSaw() {
        for (int i = 0; i < 3; i++) assertThat(f.call("/ok").status()).isEqualTo(200);
        f.admin("POST", "/faults", "{\"host\":\"reviews\",\"abort\":503,\"requests\":[1,2]}");
        assertThat(f.call("/x").status()).isEqualTo(503);
        assertThat(f.call("/x").status()).isEqualTo(503);
        // A route that retries 5xx twice against a backend that fails first: 1 request, 3 attempts.
        int before = f.v1.count();
        f.v1.script(n -> n <= before + 2 ? TestBackend.Reply.status(503) : TestBackend.Reply.ok("v1"));
        f.admin("POST", "/config/apply", AdminFixture.route("v1").replace("attempts: 0", "attempts: 2, retryOn: 5xx"));
        assertThat(f.call("/retried").status()).isEqualTo(200);

        HttpResponse<String> scrape = f.admin("GET", "/stats/prometheus", null);
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.headers().firstValue("content-type").orElse("")).startsWith("text/plain; version=0.0.4");
        List<PrometheusText.Sample> samples = PrometheusText.parse(scrape.body());

        String service = "reviews.default.svc.cluster.local";
        assertThat(value(samples, "istio_requests_total", Map.of("destination_service", service,
                "destination_subset", "v1", "response_code", "200", "response_flags", "-"))).isEqualTo(4);
        assertThat(value(samples, "istio_requests_total", Map.of("response_code", "503", "response_flags", "FI")))
                .isEqualTo(2);
        assertThat(value(samples, "envoy_cluster_upstream_rq_total", Map.of("envoy_cluster_name", V1))).isEqualTo(6);
        assertThat(value(samples, "envoy_cluster_upstream_rq_retry_total", Map.of("envoy_cluster_name", V1))).isEqualTo(2);
        assertThat(value(samples, "envoy_cluster_upstream_rq_xx_total",
                Map.of("envoy_cluster_name", V1, "envoy_response_code_class", "5"))).isEqualTo(2);
        assertThat(value(samples, "istio_request_duration_milliseconds_count", Map.of("response_code", "200"))).isEqualTo(4);
        assertThat(samples).filteredOn(s -> s.name().equals("istio_request_duration_milliseconds_bucket"))
                .extracting(s -> s.labels().get("le")).contains("1.0", "5.0", "3600000.0", "+Inf");
        assertThat(family(samples, "envoy_cluster_upstream_rq_pending_overflow")).isEqualTo("counter");
        assertThat(family(samples, "envoy_cluster_upstream_cx_active")).isEqualTo("gauge");
        assertThat(value(samples, "envoy_cluster_outlier_detection_ejections_active", Map.of("envoy_cluster_name", V1)))
                .isZero();
    }

    /** The sum over the samples of {@code name} whose labels include {@code labels}. */
    private static double value(List<PrometheusText.Sample> samples, String name, Map<String, String> labels) {
        List<PrometheusText.Sample> hits = samples.stream().filter(s -> s.name().equals(name))
                .filter(s -> s.labels().entrySet().containsAll(labels.entrySet())).toList();
        assertThat(hits).as(name + labels + " in " + samples.stream().filter(s -> s.name().startsWith(name)).toList())
                .isNotEmpty();
        return hits.stream().mapToDouble(PrometheusText.Sample::value).sum();
    }

    private static String family(List<PrometheusText.Sample> samples, String family) {
        return samples.stream().filter(s -> s.family().equals(family)).findFirst().orElseThrow().type();
    }
}
