package dev.meshunit.junit;

import static dev.meshunit.assertj.MeshAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import org.junit.jupiter.api.Test;

// Quoted in junit-extension/README.md: keep the two in step.
@MeshTest(config = {"mesh/reviews", "mesh/routing/jason-v2.yaml"})
class ReadmeExampleTest {
    @Backend("reviews-v1") static final StubBackend V1 = StubBackend.start("v1");
    @Backend("reviews-v2") static final StubBackend V2 = StubBackend.start("v2");

    @Test
    void jasonIsRoutedToV2(Mesh mesh) throws Exception {
        var response = mesh.httpClient().send(HttpRequest.newBuilder(URI.create("http://reviews:9080/reviews/1"))
                .header("end-user", "jason").build(), BodyHandlers.ofString());

        assertThat(response.body()).isEqualTo("v2");
        assertThat(mesh.exchanges("reviews")).hasRequestCount(1).allServedBySubset("v2").hasBoundedRetries(0);
        assertThat(V2.lastRequest().header("x-envoy-attempt-count")).isEqualTo("1");   // what the proxy sent upstream
    }
}
