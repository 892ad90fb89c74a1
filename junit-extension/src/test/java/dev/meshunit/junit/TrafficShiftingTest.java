package dev.meshunit.junit;

import static dev.meshunit.assertj.MeshAssertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@MeshTest(config = {"mesh/reviews", "mesh/routing/split-80-20.yaml"}, seed = 42, perMethod = true)
class TrafficShiftingTest {
    final TinyBackend v1 = TinyBackend.start("v1");
    final TinyBackend v2 = TinyBackend.start("v2");
    @Backend("reviews-v1") final int v1Port = v1.port();
    @Backend("reviews-v2") final int v2Port = v2.port();

    @AfterEach
    void stopBackends() {
        v1.close();
        v2.close();
    }

    @Test
    void eightyPercentStayOnV1(Mesh mesh) throws Exception {
        for (int i = 0; i < 500; i++) {
            mesh.httpClient().send(HttpRequest.newBuilder(URI.create("http://reviews:9080/reviews/" + i)).build(),
                    BodyHandlers.discarding());
        }

        assertThat(mesh.exchanges("reviews")).hasRequestCount(500).allHaveStatus(200).hasBoundedRetries(0)
                .hasSubsetShare("v1", 0.8, 0.05);
        assertThat(mesh.journal()).subsetShare("v2").isCloseTo(0.2, within(0.05));
    }

    @Test
    void eachMethodGetsAFreshProxy(Mesh mesh) {
        assertThat(mesh.journal()).hasRequestCount(0);
    }
}
