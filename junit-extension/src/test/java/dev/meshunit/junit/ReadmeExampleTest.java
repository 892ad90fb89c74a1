package dev.meshunit.junit;

import static dev.meshunit.assertj.MeshAssertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import org.junit.jupiter.api.Test;

// Quoted in junit-extension/README.md: keep the two in step.
@MeshTest(config = {"mesh/reviews", "mesh/routing/jason-v2.yaml"})
class ReadmeExampleTest {
    static final TinyBackend V1 = TinyBackend.start("v1"), V2 = TinyBackend.start("v2");
    @Backend("reviews-v1") static final int V1_PORT = V1.port();
    @Backend("reviews-v2") static final int V2_PORT = V2.port();

    @Test
    void jasonIsRoutedToV2(Mesh mesh) throws Exception {
        mesh.httpClient().send(HttpRequest.newBuilder(URI.create("http://reviews:9080/reviews/1"))
                .header("end-user", "jason").build(), BodyHandlers.ofString());

        assertThat(mesh.exchanges("reviews")).hasRequestCount(1).allServedBySubset("v2").hasBoundedRetries(0);
    }

    @org.junit.jupiter.api.AfterAll
    static void stop() {
        V1.close();
        V2.close();
    }
}
