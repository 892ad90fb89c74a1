package dev.meshunit.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshunit.VirtualTime;
import dev.meshunit.chaos.Direction;
import dev.meshunit.chaos.Toxic;
import dev.meshunit.chaos.ToxicSpec;
import dev.meshunit.journal.Exchange;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code @InjectToxic} and {@code mesh.toxics()} on virtual time: the toxic's latency is one of the proxy's timers,
 * so the call of the service under the toxic takes exactly its latency and the other service's calls exactly 0.
 */
class SidecarToxicVirtualTimeTest {
    static final VirtualTime TIME = VirtualTime.create();
    static final StubBackend RATINGS = StubBackend.start("ratings");
    static final StubBackend REVIEWS_V1 = StubBackend.start("reviews-v1");
    static final StubBackend REVIEWS_V2 = StubBackend.start("reviews-v2");

    @RegisterExtension
    static final MeshExtension MESH = MeshExtension.builder().config("mesh/two-services").virtualTime(TIME).seed(3)
            .backend("ratings", RATINGS.port()).backend("reviews-v1", REVIEWS_V1.port())
            .backend("reviews-v2", REVIEWS_V2.port()).build();

    @Test
    @InjectToxic(host = "ratings", type = InjectToxic.Type.LATENCY, latency = 250)
    void theLatencyToxicDelaysRatingsOnlyByExactlyItsLatency(Mesh mesh) throws Exception {
        CompletableFuture<HttpResponse<String>> ratings = send(mesh, "ratings", "/ratings/1", null);
        awaitTimerDueIn(Duration.ofMillis(250));
        assertThat(send(mesh, "reviews", "/reviews/1", null).get(10, TimeUnit.SECONDS).body()).isEqualTo("reviews-v1");
        TIME.advance(Duration.ofMillis(249));
        assertThat(ratings).isNotDone();
        TIME.advance(Duration.ofMillis(1));
        assertThat(ratings.get(10, TimeUnit.SECONDS).body()).isEqualTo("ratings");

        assertThat(only(mesh, "ratings").durationMs()).isEqualTo(250.0);
        assertThat(only(mesh, "reviews").durationMs()).isEqualTo(0.0);
        assertThat(mesh.toxics().connections("ratings")).allSatisfy(
                c -> assertThat(c.toxicsApplied()).containsExactly("latency_downstream(latency,downstream)"));
        assertThat(mesh.toxics().connections("reviews")).allSatisfy(c -> assertThat(c.toxicsApplied()).isEmpty());
    }

    @Test
    void theToxicOfTheTestBeforeIsGoneAndOneSubsetGetsOneAtRunTime(Mesh mesh) throws Exception {
        assertThat(mesh.toxics().toxics("ratings")).isEmpty();
        mesh.toxics().add("reviews", "v2", ToxicSpec.of(Direction.UPSTREAM, new Toxic.Latency(40, 0)));

        assertThat(send(mesh, "ratings", "/ratings/2", null).get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(send(mesh, "reviews", "/reviews/2", null).get(10, TimeUnit.SECONDS).body()).isEqualTo("reviews-v1");
        CompletableFuture<HttpResponse<String>> v2 = send(mesh, "reviews", "/reviews/3", "jason");
        awaitTimerDueIn(Duration.ofMillis(40));
        assertThat(REVIEWS_V2.requests()).as("the request is held on its way to v2").isEmpty();
        TIME.advance(Duration.ofMillis(40));
        assertThat(v2.get(10, TimeUnit.SECONDS).body()).isEqualTo("reviews-v2");

        assertThat(mesh.journal().select(e -> e.path().equals("/reviews/3")).get(0).durationMs()).isEqualTo(40.0);
        assertThat(mesh.journal().select(e -> e.path().equals("/reviews/2")).get(0).durationMs()).isEqualTo(0.0);
        assertThat(mesh.journal().select(e -> e.path().equals("/ratings/2")).get(0).durationMs()).isEqualTo(0.0);
    }

    private static CompletableFuture<HttpResponse<String>> send(Mesh mesh, String host, String path, String user) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + host + ":9080" + path));
        if (user != null) request.header("end-user", user);
        return mesh.httpClient().sendAsync(request.build(), BodyHandlers.ofString());
    }

    private static void awaitTimerDueIn(Duration due) {
        await().atMost(Duration.ofSeconds(10)).until(() -> due.equals(TIME.nextTimerIn()));
    }

    private static Exchange only(Mesh mesh, String host) {
        await().atMost(Duration.ofSeconds(10)).until(() -> mesh.exchanges(host).size() == 1);
        return mesh.exchanges(host).get(0);
    }
}
