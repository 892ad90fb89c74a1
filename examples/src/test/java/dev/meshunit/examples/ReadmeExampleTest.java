package dev.meshunit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.meshunit.MeshProxy;
import dev.meshunit.config.IstioConfig;
import dev.meshunit.config.load.ConfigLoader;
import dev.meshunit.journal.Exchange;
import java.net.InetSocketAddress;
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
    HttpServer v1;
    HttpServer v2;

    @BeforeEach
    void backends() throws Exception {
        v1 = backend("v1");
        v2 = backend("v2");
    }

    @AfterEach
    void stop() {
        v1.stop(0);
        v2.stop(0);
    }

    @Test
    void jasonIsServedByV2() throws Exception {
        Path configFolder = Path.of(getClass().getResource("/readme").toURI());
        // --- README: begin
        IstioConfig config = ConfigLoader.create()
                .withPlaceholders(Map.of("v1", "" + port(v1), "v2", "" + port(v2))::get)
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

    private static int port(HttpServer s) {
        return s.getAddress().getPort();
    }

    private static HttpServer backend(String name) throws Exception {
        HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        s.createContext("/", ex -> {
            byte[] b = name.getBytes();
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        s.start();
        return s;
    }
}
