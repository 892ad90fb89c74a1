package dev.meshunit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshunit.junit.Backend;
import dev.meshunit.junit.ExploreFaults;
import dev.meshunit.junit.Mesh;
import dev.meshunit.junit.MeshTest;
import dev.meshunit.junit.StubAnswer;
import dev.meshunit.junit.StubBackend;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;

/**
 * Which dependency failure breaks the product page? Run once without faults, then once per call it made and
 * fault. One proxy and fresh backends per run ({@code perMethod}; the stubs close with it). Not a *Test: it fails by design (details has
 * no fallback); {@link FaultExplorationExampleTest} runs it.
 */
@MeshTest(config = "exploration", perMethod = true)
class ProductPageFaultExploration {
    @Backend("details") final StubBackend details = ProductPage.dependency("details", "a paperback, 200 pages");
    @Backend("reviews") final StubBackend reviews = ProductPage.dependency("reviews", "five stars");

    // The page gives each dependency 3 s: generous for a local call on a busy machine (a JVM's first request through
    // a proxy can take most of a second), and the injected delay (4.5 s) is always past it.
    @ExploreFaults(budget = "3s", maxInvocations = 10)
    void productPageAnswers(Mesh mesh) throws Exception {
        try (ProductPage page = ProductPage.start(mesh.proxySelector(), Duration.ofSeconds(3))) {
            var response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(page.uri("/product/1")).build(),
                    BodyHandlers.ofString());

            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(response.body()).contains("\"details\": \"a paperback, 200 pages\"");
        }
    }
}
