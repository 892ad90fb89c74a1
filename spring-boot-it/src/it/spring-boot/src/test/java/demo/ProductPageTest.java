package demo;

import static dev.meshunit.assertj.MeshAssertions.assertThat;

import dev.meshunit.journal.ResponseFlag;
import dev.meshunit.junit.InjectAbort;
import dev.meshunit.junit.InjectDelay;
import dev.meshunit.junit.Mesh;
import dev.meshunit.junit.MeshExtension;
import dev.meshunit.junit.StubAnswer;
import dev.meshunit.junit.StubBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The Spring Boot application, started by Spring Boot's own test support, calls ratings through MeshUnit: the
 * pattern the junit README documents. The application's base URL for ratings is a property; the
 * {@code @DynamicPropertySource} supplier hands it the service's own listener on the proxy, read lazily (the
 * proxy starts before the application context, as the extension's beforeAll runs first).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ProductPageTest {
    static final StubBackend RATINGS = StubBackend.builder().label("v1").answer("/ratings/", StubAnswer.ok("4")).start();

    @RegisterExtension
    static final MeshExtension MESH = MeshExtension.builder().config("mesh/ratings.yaml").backend("ratings", RATINGS.port()).build();

    @DynamicPropertySource
    static void ratingsThroughTheMesh(DynamicPropertyRegistry registry) {
        registry.add("ratings.url", () -> MESH.mesh().uri("ratings"));
    }

    @Autowired WebTestClient web;

    @Test
    void productCarriesItsRating(Mesh mesh) {
        web.get().uri("/products/7").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.rating").isEqualTo("4");

        assertThat(mesh.exchanges("ratings")).hasRequestCount(1).allHaveStatus(200)
                .singleExchange().hasAttempts(1);
        org.assertj.core.api.Assertions.assertThat(RATINGS.lastRequest().path()).isEqualTo("/ratings/7");
    }

    @Test
    @InjectAbort(host = "ratings", status = 503)
    void ratingsDownLeavesTheRatingOut(Mesh mesh) {
        web.get().uri("/products/7").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.rating").isEqualTo("unavailable");

        assertThat(mesh.exchanges("ratings")).hasRequestCount(1).hasInjectedAborts(1);
    }

    @Test
    @InjectDelay(host = "ratings", delay = "3s")
    void slowRatingsAreCutOffAfterOneSecond(Mesh mesh) {
        web.get().uri("/products/7").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.rating").isEqualTo("unavailable");

        // the application's 1 s timeout hung up on the delayed call: the proxy journals it as DC
        assertThat(mesh.awaitRequests("ratings", dev.meshunit.junit.RequestCount.atLeast(1)))
                .hasInjectedDelays(1).allHaveFlag(ResponseFlag.DC);
    }

    @AfterAll
    static void stop() {
        RATINGS.close();   // a backend the extension did not bind through @Backend is the test's to close
    }
}
