package dev.meshunit.junit;

import static dev.meshunit.assertj.MeshAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

// Quoted in junit-extension/README.md: keep the two in step.
@MeshTest(config = "mesh/ratings")
class ReadmeResilienceTest {
    @Backend("ratings") static final StubBackend RATINGS = StubBackend.builder().label("v1")
            .answer("/ratings/", StubAnswer.json("{\"stars\":4}")).start();

    @Test
    @InjectAbort(host = "ratings", status = 503, firstAttempts = 2)
    void clientRetriesThroughTwoFailures(Mesh mesh) throws Exception {
        var client = new RetryingClient(mesh.httpClient(), 3, Duration.ofMillis(50));

        assertThat(client.get("http://ratings:9080/ratings/1").body()).isEqualTo("{\"stars\":4}");
        assertThat(mesh.exchanges("ratings")).hasRequestCount(3).hasInjectedAborts(2)
                .hasBoundedRetries(3).retriedWithBackoff(Duration.ofMillis(50));
        assertThat(RATINGS.requests()).hasSize(1);   // the two aborts never reached the backend
    }
}
