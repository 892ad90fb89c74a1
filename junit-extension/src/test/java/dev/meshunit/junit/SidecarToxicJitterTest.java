package dev.meshunit.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshunit.VirtualTime;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code @MeshTest(virtualTime = true)} with an {@code @InjectToxic} on one subset: the jitter is drawn from the
 * seed, the delay is one timer of the proxy's time, and the journal records exactly that delay.
 */
@MeshTest(config = "mesh/two-services", virtualTime = true, seed = 21)
class SidecarToxicJitterTest {
    @Backend("ratings") static final StubBackend RATINGS = StubBackend.start("ratings");
    @Backend("reviews-v1") static final StubBackend REVIEWS_V1 = StubBackend.start("reviews-v1");
    @Backend("reviews-v2") static final StubBackend REVIEWS_V2 = StubBackend.start("reviews-v2");

    @Test
    @InjectToxic(host = "reviews", subset = "v2", type = InjectToxic.Type.LATENCY, latency = 100, jitter = 50)
    void theJitteredLatencyIsExactlyTheTimerItSet(Mesh mesh, VirtualTime time) throws Exception {
        CompletableFuture<HttpResponse<String>> v2 = mesh.httpClient().sendAsync(HttpRequest.newBuilder(
                URI.create("http://reviews:9080/reviews/1")).header("end-user", "jason").build(), BodyHandlers.ofString());
        // The connect timeout (10 s) is pending while the sidecar connects; the toxic's timer is the one under a second.
        await().atMost(Duration.ofSeconds(10)).until(() -> time.nextTimerIn() != null
                && time.nextTimerIn().compareTo(Duration.ofSeconds(1)) < 0);
        Duration due = time.nextTimerIn();
        assertThat(due).isBetween(Duration.ofMillis(50), Duration.ofMillis(150));
        assertThat(mesh.httpClient().send(HttpRequest.newBuilder(URI.create("http://reviews:9080/reviews/2")).build(),
                BodyHandlers.ofString()).body()).as("v1 has no toxic").isEqualTo("reviews-v1");

        time.advance(due);
        assertThat(v2.get(10, TimeUnit.SECONDS).body()).isEqualTo("reviews-v2");
        await().atMost(Duration.ofSeconds(10)).until(() -> mesh.exchanges("reviews").size() == 2);
        assertThat(mesh.journal().select(e -> e.path().equals("/reviews/1")).get(0).durationMs())
                .isEqualTo((double) due.toMillis());
        assertThat(mesh.journal().select(e -> e.path().equals("/reviews/2")).get(0).durationMs()).isEqualTo(0.0);
    }
}
