package dev.meshunit.cli;

import static dev.meshunit.cli.Fixtures.get;
import static dev.meshunit.cli.Fixtures.json;
import static dev.meshunit.cli.Fixtures.post;
import static dev.meshunit.cli.Fixtures.write;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code meshunit proxy --sidecar-toxics}: toxics under the sidecar driven over the admin API. */
class SidecarToxicsCommandTest {
    @TempDir
    Path dir;

    @Test
    void aLatencyToxicAddedOverTheAdminApiSlowsThatServiceUntilRemoved() {
        HttpServer backend = Fixtures.backend("reviews-v1");
        try (MainTest.Run r = new MainTest.Run("proxy", "--config",
                write(dir, "reviews.yaml", Fixtures.reviews(backend.getAddress().getPort())).toString(),
                "--port", "0", "--admin-port", "0", "--sidecar-toxics")) {
            var ready = r.ready();
            int proxyPort = Integer.parseInt(ready.group(1));
            int admin = Integer.parseInt(ready.group(2));

            var added = post(admin, "/toxics/add",
                    "{\"host\":\"reviews\",\"type\":\"latency\",\"attributes\":{\"latency\":300}}");
            assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
            assertThat(json(added.body()).get("name").asText()).isEqualTo("latency_downstream");
            JsonNode listed = json(get(admin, "/toxics").body());
            assertThat(listed).hasSize(1);
            assertThat(listed.get(0).get("attributes").get("latency").asLong()).isEqualTo(300);

            assertThat(Fixtures.viaProxy(proxyPort, "reviews:9080", "/slow").body()).isEqualTo("reviews-v1");
            // Wall clock (a separate process's proxy): the toxic's 300 ms is a lower bound of the exchange.
            assertThat(json(get(admin, "/journal").body()).get(0).get("durationMs").asDouble()).isGreaterThanOrEqualTo(300);

            assertThat(post(admin, "/toxics/remove", "{\"host\":\"reviews\",\"name\":\"latency_downstream\"}").statusCode())
                    .isEqualTo(204);
            assertThat(json(get(admin, "/toxics").body())).isEmpty();
            assertThat(r.stopAndJoin()).isZero();
        } finally {
            backend.stop(0);
        }
    }

    @Test
    void aBadToxicIsRefusedNamingWhatIsWrong() {
        HttpServer backend = Fixtures.backend("reviews-v1");
        try (MainTest.Run r = new MainTest.Run("proxy", "--config",
                write(dir, "reviews.yaml", Fixtures.reviews(backend.getAddress().getPort())).toString(),
                "--port", "0", "--admin-port", "0", "--sidecar-toxics")) {
            int admin = Integer.parseInt(r.ready().group(2));
            var typo = post(admin, "/toxics/add", "{\"host\":\"reveiws\",\"type\":\"latency\",\"attributes\":{\"latency\":1}}");
            assertThat(typo.statusCode()).isEqualTo(400);
            assertThat(json(typo.body()).get("error").asText()).contains("did you mean reviews?");
            var attribute = post(admin, "/toxics/add", "{\"host\":\"reviews\",\"type\":\"bandwidth\",\"attributes\":{\"latency\":1}}");
            assertThat(attribute.statusCode()).isEqualTo(400);
            assertThat(json(attribute.body()).get("error").asText()).isEqualTo("bandwidth has no attribute latency (it takes rate)");
            assertThat(post(admin, "/toxics/reset", "").statusCode()).isEqualTo(204);
            assertThat(r.stopAndJoin()).isZero();
        } finally {
            backend.stop(0);
        }
    }
}
