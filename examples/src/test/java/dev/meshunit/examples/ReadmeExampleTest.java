package dev.meshunit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshunit.MeshProxy;
import dev.meshunit.config.IstioConfig;
import dev.meshunit.config.load.ConfigLoader;
import dev.meshunit.journal.Exchange;
import dev.meshunit.junit.StubBackend;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The example in the root README, kept as a test so that it cannot rot. */
class ReadmeExampleTest {
    StubBackend v1;
    StubBackend v2;

    @BeforeEach
    void backends() {
        v1 = StubBackend.start("v1");   // meshunit-junit's stub: answers 200 "v1" to everything
        v2 = StubBackend.start("v2");
    }

    @AfterEach
    void stop() {
        v1.close();
        v2.close();
    }

    @Test
    void jasonIsServedByV2() throws Exception {
        Path configFolder = Path.of(getClass().getResource("/readme").toURI());
        // --- README: begin
        IstioConfig config = ConfigLoader.create()
                .withPlaceholders(Map.of("v1", "" + v1.port(), "v2", "" + v2.port())::get)
                .load(configFolder)               // your cluster's YAML; endpoints use ${v1} for test ports
                .orThrow();                       // every problem as file:line:col, or the config
        try (MeshProxy proxy = MeshProxy.builder().config(config).seed(42).start()) {
            HttpClient client = HttpClient.newBuilder().proxy(ProxySelector.of(proxy.address())).build();
            client.send(HttpRequest.newBuilder(URI.create("http://reviews:9080/reviews/1"))
                    .header("end-user", "jason").build(), BodyHandlers.ofString());

            Exchange e = proxy.journal().exchanges().get(0);
            assertThat(e.subset()).isEqualTo("v2");
            assertThat(e.attempts()).hasSize(1);
        }
        // --- README: end
    }
}
