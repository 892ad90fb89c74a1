package dev.meshunit.dataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshunit.MeshProxy;
import dev.meshunit.config.IstioConfig;
import dev.meshunit.config.load.ConfigLoader;
import dev.meshunit.journal.ShadowExchange;
import dev.meshunit.testing.Httpbin;
import dev.meshunit.testing.NoLeaks;
import dev.meshunit.testing.RawHttp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Istio's mirroring task, with its own YAML: httpbin v1 serves, v2 gets a copy of every request with
 * {@code Host: httpbin-shadow:8000}, the client only ever sees v1.
 */
@ExtendWith(NoLeaks.class)
class MirrorTaskTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The Kubernetes Service httpbin:8000 with its two Deployments, as a ServiceEntry. */
    private static final String HTTPBIN = """
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: httpbin}
            spec:
              hosts: [httpbin]
              location: MESH_INTERNAL
              resolution: STATIC
              ports: [{number: 8000, name: http, protocol: HTTP}]
              endpoints:
              - {address: 127.0.0.1, ports: {http: "${v1}"}, labels: {app: httpbin, version: v1}}
              - {address: 127.0.0.1, ports: {http: "${v2}"}, labels: {app: httpbin, version: v2}}
            """;

    @Test
    void mirroringTask() throws Exception {
        Path tasks = Path.of(System.getProperty("meshunit.samples", "/work/shared/istio-samples"), "istio.io-tasks");
        Path v1Only = tasks.resolve("mirroring-httpbin-v1-only.yaml");
        Path mirrorV2 = tasks.resolve("mirroring-httpbin-mirror-v2.yaml");
        assumeTrue(Files.exists(v1Only) && Files.exists(mirrorV2), "Istio samples not found at " + tasks);
        try (Httpbin v1 = new Httpbin(); Httpbin v2 = new Httpbin()) {
            ConfigLoader loader = ConfigLoader.create().withPlaceholders(
                    Map.of("v1", Integer.toString(v1.port()), "v2", Integer.toString(v2.port()))::get);
            IstioConfig service = loader.loadString("httpbin-service.yaml", HTTPBIN).orThrow();
            IstioConfig defaultRouting = service.plus(loader.load(v1Only).orThrow());
            try (MeshProxy proxy = MeshProxy.builder().config(defaultRouting).start()) {
                // "Creating a default routing policy": curl http://httpbin:8000/headers
                JsonNode headers = curlHeaders(proxy);
                assertThat(headers.path("Host").asText()).isEqualTo("httpbin:8000");
                assertThat(headers.path("X-envoy-attempt-count").asText()).isEqualTo("1");
                assertThat(v1.log()).hasSize(1);
                assertThat(v2.log()).as("v2 logs nothing").isEmpty();

                // "Mirroring traffic to v2": the VirtualService replaced, the DestinationRule kept.
                String destinationRule = Arrays.stream(Files.readString(v1Only).split("(?m)^---$"))
                        .filter(doc -> doc.contains("kind: DestinationRule")).findFirst().orElseThrow();
                proxy.updateConfig(loader.loadString("mirroring-task.yaml", HTTPBIN + "---" + destinationRule + "---\n"
                        + Files.readString(mirrorV2)).orThrow());
                for (int i = 0; i < 10; i++) {
                    assertThat(curlHeaders(proxy).path("Host").asText()).as("the client gets v1's answer")
                            .isEqualTo("httpbin:8000");
                }
                await().atMost(Duration.ofSeconds(20)).until(() -> v2.log().size() == 10 && proxy.shadowsInFlight() == 0);
                assertThat(v1.log()).hasSize(11);
                assertThat(v2.log()).allSatisfy(line -> {
                    assertThat(line.host()).isEqualTo("httpbin-shadow:8000");
                    assertThat(line.path()).isEqualTo("/headers");
                });
                assertThat(proxy.journal().shadows().all()).hasSize(10)
                        .allSatisfy(s -> assertThat(s.subset()).isEqualTo("v2"))
                        .extracting(ShadowExchange::status).containsOnly(200);
                assertThat(proxy.journal().exchanges().subList(1, 11)).allSatisfy(e -> assertThat(e.subset()).isEqualTo("v1"));
            }
        }
    }

    private static JsonNode curlHeaders(MeshProxy proxy) throws Exception {
        RawHttp.Response r = RawHttp.get(proxy.port(), "httpbin:8000", "/headers", "User-Agent: curl/8.5.0");
        assertThat(r.status()).isEqualTo(200);
        return JSON.readTree(r.body()).path("headers");
    }
}
