package dev.meshunit.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Prometheus' own text-format parser (the {@code prometheus_client} Python package, Debian's
 * {@code python3-prometheus-client}, which {@code .ci/run} installs), run on a scrape: what a real Prometheus
 * would read, not what a regex in this test believes.
 */
final class PrometheusText {
    private static final String PARSE = """
            import json, sys
            from prometheus_client.parser import text_string_to_metric_families
            out = []
            for fam in text_string_to_metric_families(sys.stdin.read()):
                for s in fam.samples:
                    out.append({"family": fam.name, "type": fam.type, "name": s.name, "labels": s.labels, "value": s.value})
            print(json.dumps(out))
            """;

    /** One sample: metric name, labels, value, and its family's type. */
    record Sample(String family, String type, String name, Map<String, String> labels, double value) {}

    private PrometheusText() {}

    static List<Sample> parse(String text) {
        try {
            Process p = new ProcessBuilder("/usr/bin/python3", "-c", PARSE).redirectErrorStream(false).start();
            try (OutputStream in = p.getOutputStream()) {
                in.write(text.getBytes(StandardCharsets.UTF_8));
            }
            String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new AssertionError("the Prometheus parser refused the scrape (or is missing: apt-get install "
                        + "python3-prometheus-client):\n" + stderr + "\n--- scrape ---\n" + text);
            }
            List<Sample> samples = new ArrayList<>();
            for (JsonNode s : new ObjectMapper().readTree(stdout)) {
                Map<String, String> labels = new TreeMap<>();
                s.get("labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
                samples.add(new Sample(s.get("family").asText(), s.get("type").asText(), s.get("name").asText(), labels,
                        s.get("value").asDouble()));
            }
            return samples;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
