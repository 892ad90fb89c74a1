package dev.meshunit.junit;

import static dev.meshunit.assertj.MeshAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.meshunit.journal.Journal;
import dev.meshunit.journal.ResponseFlag;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@MeshTest(config = {"mesh/reviews", "mesh/routing/jason-v2.yaml"})
class RequestRoutingTest {
    static final TinyBackend V1 = TinyBackend.start("v1");
    static final TinyBackend V2 = TinyBackend.start("v2");
    @Backend("reviews-v1") static final int V1_PORT = V1.port();
    @Backend("reviews-v2") static final int V2_PORT = V2.port();

    @AfterAll
    static void stopBackends() {
        V1.close();
        V2.close();
    }

    @Test
    void jasonSeesV2ThroughTheForwardProxy(Mesh mesh) throws Exception {
        var response = mesh.httpClient().send(HttpRequest.newBuilder(URI.create("http://reviews:9080/reviews/1"))
                .header("end-user", "jason").build(), BodyHandlers.ofString());

        assertThat(response.body()).isEqualTo("v2");
        assertThat(mesh.exchanges("reviews")).singleExchange().servedBySubset("v2").hasStatus(200).hasAttempts(1);
    }

    @Test
    void everyoneElseSeesV1OnTheServiceListener(Mesh mesh, Journal journal) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        for (int i = 0; i < 10; i++) {
            var response = client.send(HttpRequest.newBuilder(mesh.uri("reviews").resolve("/reviews/" + i)).build(),
                    BodyHandlers.ofString());
            assertThat(response.body()).isEqualTo("v1");
        }

        assertThat(journal).hasRequestCount(10).allServedBySubset("v1").allHaveStatus(200).hasBoundedRetries(0);
        assertThat(journal).subsetShare("v1").isCloseTo(1.0, within(0.01));
    }

    @Test
    void anUnknownHostGetsEnvoysNoRouteReply(Mesh mesh) throws Exception {
        var response = mesh.httpClient().send(HttpRequest.newBuilder(URI.create("http://nothere/")).build(),
                BodyHandlers.discarding());

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(mesh.journal()).singleExchange().hasStatus(404).hasFlag(ResponseFlag.NR).hasAttempts(0);
    }

    @Nested
    class WhenNested {
        @Test
        void sharesTheEnclosingProxyWithAFreshJournal(Mesh mesh) throws Exception {
            mesh.httpClient().send(HttpRequest.newBuilder(URI.create("http://reviews:9080/reviews/1")).build(),
                    BodyHandlers.discarding());

            assertThat(mesh.journal()).singleExchange().servedBySubset("v1");
        }
    }
}
