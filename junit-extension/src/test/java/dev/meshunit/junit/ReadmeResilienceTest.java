package dev.meshunit.junit;

import static dev.meshunit.assertj.MeshAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

@MeshTest(config = "mesh/ratings")
class ReadmeResilienceTest {
    static final TinyBackend RATINGS = TinyBackend.start("ratings");
    @Backend("ratings") static final int PORT = RATINGS.port();

    @Test
    @InjectAbort(host = "ratings", status = 503, firstAttempts = 2)
    void clientRetriesThroughTwoFailures(Mesh mesh) throws Exception {
        var client = new RetryingClient(mesh.httpClient(), 3, Duration.ofMillis(50));

        assertThat(client.get("http://ratings:9080/ratings/1").statusCode()).isEqualTo(200);
        assertThat(mesh.exchanges("ratings")).hasRequestCount(3).hasInjectedAborts(2)
                .hasBoundedRetries(3).retriedWithBackoff(Duration.ofMillis(50));
    }

    @AfterAll
    static void stop() {
        RATINGS.close();
    }
}
