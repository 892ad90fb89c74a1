package dev.meshunit.junit;

import static dev.meshunit.assertj.MeshAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshunit.assertj.MeshSoftAssertions;
import dev.meshunit.journal.Exchange;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import org.junit.jupiter.api.Test;

/** hasUpstreamHeader and the body JSON-path assertions over a real JDK client, with @MeshTest(recordBodies). */
@MeshTest(config = "mesh/upstream", recordBodies = 48)
class UpstreamAssertionsTest {
    @Backend("reviews") static final StubBackend REVIEWS = StubBackend.builder()
            .answer("/flaky", StubAnswer.status(503), StubAnswer.status(503), StubAnswer.json("{\"ok\":true}"))
            .answer("/checkout", StubAnswer.status(503), StubAnswer.status(503), StubAnswer.json("{\"ok\":true}"))
            .answer("/api/", StubAnswer.json("{\"review\":{\"stars\":4,\"by\":\"ada\"},\"text\":\"" + "long ".repeat(20) + "\"}"))
            .otherwise(StubAnswer.json("{\"echo\":\"ok\"}"))
            .start();

    private static Exchange send(Mesh mesh, HttpRequest request) throws Exception {
        mesh.httpClient().send(request, BodyHandlers.discarding());
        return mesh.exchanges("reviews").get(mesh.exchanges("reviews").size() - 1);
    }

    @Test
    void aRetriedExchangeShowsEachAttemptCountAsSentUpstream(Mesh mesh) throws Exception {
        Exchange e = send(mesh, HttpRequest.newBuilder(URI.create("http://reviews:9080/flaky")).build());
        assertThat(e).hasStatus(200).hasAttempts(3)
                .hasUpstreamHeaderPerAttempt("x-envoy-attempt-count", "1", "2", "3")
                .hasUpstreamHeader("x-envoy-attempt-count", "3")
                .hasResponseBodyJson("$.ok", true);
        assertThat(e).attempt(1).hasStatus(503).hasUpstreamHeader("x-envoy-attempt-count", "1").hasUpstreamPath("/flaky");
        assertThat(e).attempt(2).hasUpstreamHeader("x-envoy-attempt-count", "2");
        assertThatThrownBy(() -> assertThat(e).hasUpstreamHeader("x-envoy-attempt-count", "1"))
                .hasMessageContaining("expected upstream header x-envoy-attempt-count: 1 on attempt 3 but it was 3");
        assertThatThrownBy(() -> assertThat(e).attempt(4)).hasMessageContaining("expected an attempt 4 but there were 3 attempts");
    }

    // Quoted in junit-extension/README.md: keep the two in step.
    @Test
    void retriesAreVisibleUpstream(Mesh mesh) throws Exception {
        mesh.httpClient().send(HttpRequest.newBuilder(URI.create("http://reviews:9080/checkout"))
                .POST(BodyPublishers.ofString("{\"order\":{\"id\":7}}")).build(), BodyHandlers.discarding());
        assertThat(mesh.exchanges("reviews").stream().filter(e -> e.path().equals("/checkout")).toList()).singleExchange()
                .hasUpstreamHeaderPerAttempt("x-envoy-attempt-count", "1", "2", "3")
                .hasRequestBodyJson("$.order.id", 7).hasResponseBodyJson("$.ok", true);
    }

    @Test
    void aRewriteShowsTheRewrittenTargetAndAuthority(Mesh mesh) throws Exception {
        Exchange e = send(mesh, HttpRequest.newBuilder(URI.create("http://reviews:9080/v1/7")).header("x-user", "ada").build());
        assertThat(e.attempts().get(0)).hasUpstreamPath("/api/7").hasUpstreamAuthority("reviews.internal")
                .hasUpstreamHeader("x-mesh", "yes").hasUpstreamHeader("x-user", "ada").doesNotHaveUpstreamHeader("x-absent");
        org.assertj.core.api.Assertions.assertThat(REVIEWS.lastRequest().target()).isEqualTo("/api/7");
    }

    @Test
    void bodiesAreRecordedUpToTheBoundAndReadByJsonPath(Mesh mesh) throws Exception {
        Exchange e = send(mesh, HttpRequest.newBuilder(URI.create("http://reviews:9080/post"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"order\":{\"items\":[{\"sku\":\"k-1\"}]}}")).build());
        assertThat(e).hasRequestBodyJson("$.order.items[0].sku", "k-1").hasRequestBodyJson("/order/items/0/sku", "k-1")
                .hasResponseBodyJson("$.echo", "ok");
        assertThatThrownBy(() -> assertThat(e).hasResponseBodyJson("$.echo", "no"))
                .hasMessageContaining("expected $.echo in the response body to be no but it was ok");

        Exchange big = send(mesh, HttpRequest.newBuilder(URI.create("http://reviews:9080/v1/long")).build());
        assertThat(big.attempts().get(0)).hasTruncatedResponseBody().hasResponseBodyStartingWith("{\"review\":{\"stars\":4");
        org.assertj.core.api.Assertions.assertThat(big.attempts().get(0).responseBody().recordedBytes()).isEqualTo(48);
        assertThatThrownBy(() -> assertThat(big).hasResponseBodyJson("$.review.stars", 4))
                .hasMessageContaining("truncated at 48 of");
    }

    @Test
    void softAssertionsCollectUpstreamFailures(Mesh mesh) throws Exception {
        Exchange e = send(mesh, HttpRequest.newBuilder(URI.create("http://reviews:9080/v1/soft")).build());
        assertThatThrownBy(() -> MeshSoftAssertions.assertSoftly(softly -> {
            softly.assertThat(e).hasUpstreamHeader("x-mesh", "no");
            softly.assertThat(e.attempts().get(0)).hasUpstreamPath("/wrong");
        })).hasMessageContaining("expected upstream header x-mesh: no").hasMessageContaining("expected upstream path /wrong");
    }


    @Test
    void withoutRecordBodiesTheAssertionSaysHowToTurnItOn() {
        dev.meshunit.journal.Attempt a = new dev.meshunit.journal.Attempt(1, "e", 200, null, java.util.Set.of(), 1.0);
        assertThatThrownBy(() -> assertThat(a).hasResponseBodyJson("$.x", 1))
                .hasMessageContaining("no response body was recorded: bodies are kept only with recordBodies");
    }
}
