package dev.meshunit.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshunit.journal.Journal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

@MeshTest(config = "mesh/reviews.yaml")
class RequestRoutingTest {
    static final TinyBackend V1 = TinyBackend.start("v1");
    static final TinyBackend V2 = TinyBackend.start("v2");
    @Backend("reviews-v1") static final int V1_PORT = V1.port();
    @Backend("reviews-v2") static final int V2_PORT = V2.port();

    @AfterAll
    static void stopBackends() {
        V1.close();
        V2.close();
    }

    @Test
    void jasonSeesV2ThroughTheForwardProxy(Mesh mesh) throws Exception {
        var response = mesh.httpClient().send(HttpRequest.newBuilder(URI.create("http://reviews:9080/reviews/1"))
                .header("end-user", "jason").build(), BodyHandlers.ofString());

        assertThat(response.body()).isEqualTo("v2");
        assertThat(mesh.exchanges("reviews")).singleElement().satisfies(e -> assertThat(e.subset()).isEqualTo("v2"));
    }

    @Test
    void everyoneElseSeesV1OnTheServiceListener(Mesh mesh, Journal journal) throws Exception {
        var response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(mesh.uri("reviews").resolve("/reviews/1")).build(), BodyHandlers.ofString());

        assertThat(response.body()).isEqualTo("v1");
        assertThat(journal.exchanges()).hasSize(1);
    }
}
