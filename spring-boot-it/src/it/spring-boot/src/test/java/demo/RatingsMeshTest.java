package demo;

import static dev.meshunit.assertj.MeshAssertions.assertThat;
import static dev.meshunit.junit.RequestCount.atLeast;

import dev.meshunit.junit.Backend;
import dev.meshunit.junit.InjectAbort;
import dev.meshunit.junit.Mesh;
import dev.meshunit.junit.MeshTest;
import dev.meshunit.junit.StubAnswer;
import dev.meshunit.junit.StubBackend;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import org.junit.jupiter.api.Test;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** @MeshTest without Spring, on the same class path: the JDK client and Spring's WebClient (Reactor Netty 4.1). */
@MeshTest(config = "mesh/ratings.yaml")
class RatingsMeshTest {
    @Backend("ratings") static final StubBackend RATINGS = StubBackend.builder().answer("/ratings/", StubAnswer.ok("4")).start();

    @Test
    void jdkClientThroughTheProxy(Mesh mesh) throws Exception {
        var response = mesh.httpClient().send(HttpRequest.newBuilder(URI.create("http://ratings:9080/ratings/1")).build(),
                BodyHandlers.ofString());

        org.assertj.core.api.Assertions.assertThat(response.body()).isEqualTo("4");
        assertThat(mesh.awaitRequests("ratings", atLeast(1))).hasRequestCount(1).allHaveStatus(200);
    }

    @Test
    @InjectAbort(host = "ratings", status = 503, requests = "2")
    void webClientSeesTheInjectedAbort(Mesh mesh) {
        WebClient client = WebClient.create(mesh.uri("ratings").toString());
        org.assertj.core.api.Assertions.assertThat(client.get().uri("/ratings/1").retrieve().bodyToMono(String.class).block())
                .isEqualTo("4");
        assertThatThrownBy(() -> client.get().uri("/ratings/1").retrieve().bodyToMono(String.class).block())
                .isInstanceOf(WebClientResponseException.ServiceUnavailable.class);

        assertThat(mesh.exchanges("ratings")).hasRequestCount(2).hasInjectedAborts(1);
    }
}
