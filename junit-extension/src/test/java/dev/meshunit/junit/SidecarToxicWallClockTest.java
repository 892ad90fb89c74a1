package dev.meshunit.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshunit.chaos.Direction;
import dev.meshunit.chaos.Toxic;
import dev.meshunit.chaos.ToxicSpec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Toxics under the sidecar of a {@code @MeshTest} on the wall clock, with a real client: the toxic service's calls
 * take at least the toxic's latency; the other service's calls meet no toxic (the TCP journal says so).
 */
@MeshTest(config = "mesh/two-services")
class SidecarToxicWallClockTest {
    @Backend("ratings") static final StubBackend RATINGS = StubBackend.start("ratings");
    @Backend("reviews-v1") static final StubBackend REVIEWS_V1 = StubBackend.start("reviews-v1");
    @Backend("reviews-v2") static final StubBackend REVIEWS_V2 = StubBackend.start("reviews-v2");

    @Test
    @InjectToxic(host = "ratings", type = InjectToxic.Type.LATENCY, latency = 1000, jitter = 0)
    void ratingsIsOneSecondSlowerAndReviewsIsNot(Mesh mesh) throws Exception {
        assertThat(get(mesh, "ratings", "/ratings/1").body()).isEqualTo("ratings");
        assertThat(get(mesh, "reviews", "/reviews/1").body()).isEqualTo("reviews-v1");

        assertThat(mesh.exchanges("ratings").get(0).durationMs()).isGreaterThanOrEqualTo(1000);
        // Wall clock: a loopback call through no toxic takes milliseconds; a second is a generous bound on a
        // busy machine and still tells it from the toxic's. The TCP journal proves no toxic touched it.
        assertThat(mesh.exchanges("reviews").get(0).durationMs()).isLessThan(1000);
        assertThat(mesh.toxics().connections("reviews")).isNotEmpty()
                .allSatisfy(c -> assertThat(c.toxicsApplied()).isEmpty());
    }

    @Test
    void aResetPeerToxicAtRunTimeGivesTheClient503AndLeavesReviewsAlone(Mesh mesh) throws Exception {
        mesh.toxics().add("ratings", ToxicSpec.of(Direction.UPSTREAM, new Toxic.ResetPeer(0)));
        HttpResponse<String> reset = get(mesh, "ratings", "/ratings/2");
        assertThat(reset.statusCode()).isEqualTo(503);
        assertThat(reset.body()).startsWith("upstream connect error or disconnect/reset before headers");
        assertThat(get(mesh, "reviews", "/reviews/2").statusCode()).isEqualTo(200);
    }

    @Test
    void aLimitDataToxicCutsTheAnswerBeforeItsHeadIsWhole(Mesh mesh) throws Exception {
        // 20 bytes of the answer's head reach the sidecar, then the toxic closes the connection: a local 503.
        mesh.toxics().add("ratings", ToxicSpec.of(Direction.DOWNSTREAM, new Toxic.LimitData(20)));
        assertThat(get(mesh, "ratings", "/ratings/3").statusCode()).isEqualTo(503);
        assertThat(mesh.exchanges("ratings").get(0).attempts()).singleElement()
                .satisfies(a -> assertThat(a.status()).isEqualTo(0));
        // The toxic ends its own record of the connection on its event loop, after the close the sidecar answered
        // from: wait for it (bounded) rather than read it while it may still be open.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(mesh.toxics().connections("ratings")).last()
                .satisfies(c -> assertThat(c.endReason()).isNotNull())
                .extracting(c -> c.endReason().name()).isEqualTo("LIMIT_DATA"));
    }

    @Test
    void noToxicIsLeftFromTheTestsBefore(Mesh mesh) throws IOException, InterruptedException {
        assertThat(mesh.toxics().toxics("ratings")).isEmpty();
        assertThat(get(mesh, "ratings", "/ratings/4").statusCode()).isEqualTo(200);
    }

    private static HttpResponse<String> get(Mesh mesh, String host, String path) throws IOException, InterruptedException {
        return mesh.httpClient().send(HttpRequest.newBuilder(URI.create("http://" + host + ":9080" + path)).build(),
                BodyHandlers.ofString());
    }
}
