package dev.meshunit.junit;

import static dev.meshunit.junit.RequestCount.atLeast;
import static dev.meshunit.junit.RequestCount.exactly;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshunit.journal.Exchange;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Waiting for traffic the test did not send itself, without sleeping. */
@MeshTest(config = "mesh/ratings")
class AwaitRequestsTest {
    static final TinyBackend RATINGS = TinyBackend.start("ratings");
    @Backend("ratings") static final int PORT = RATINGS.port();

    @AfterAll
    static void stop() {
        RATINGS.close();
    }

    private static CompletableFuture<HttpResponse<Void>> send(Mesh mesh, int i) {
        return mesh.httpClient().sendAsync(HttpRequest.newBuilder(URI.create("http://ratings:9080/r/" + i)).build(),
                BodyHandlers.discarding());
    }

    @Test
    @InjectDelay(host = "ratings", delay = "100ms")
    void returnsOnceEnoughExchangesAreRecorded(Mesh mesh) {
        List<CompletableFuture<HttpResponse<Void>>> inFlight = List.of(send(mesh, 1), send(mesh, 2), send(mesh, 3));

        List<Exchange> seen = mesh.awaitRequests("ratings", atLeast(3));

        assertThat(seen).hasSize(3).allSatisfy(e -> assertThat(e.fault().delayMs()).isEqualTo(100));
        inFlight.forEach(CompletableFuture::join);
    }

    @Test
    void timeoutFailsWithTheExchangesSeenSoFar(Mesh mesh) {
        send(mesh, 1).join();

        assertThatThrownBy(() -> mesh.awaitRequests("ratings", exactly(2), Duration.ofMillis(300)))
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("waited 300 ms for exactly 2 requests to ratings but the proxy recorded 1:")
                .hasMessageContaining("ratings:9080/r/1");
    }

    @Test
    void alreadySatisfiedReturnsAtOnce(Mesh mesh) {
        assertThat(mesh.awaitRequests("ratings", exactly(0), Duration.ofMillis(1))).isEmpty();
    }
}
