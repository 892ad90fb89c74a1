package demo;

import java.time.Duration;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/** GET /products/{id}: the product with its rating, or "unavailable" when ratings fails or is slow. */
@RestController
class ProductController {
    private final WebClient ratings;

    ProductController(WebClient ratings) {
        this.ratings = ratings;
    }

    @GetMapping("/products/{id}")
    Mono<Map<String, String>> product(@PathVariable("id") String id) {
        return ratings.get().uri("/ratings/{id}", id).retrieve().bodyToMono(String.class)
                .timeout(Duration.ofSeconds(1))
                .onErrorResume(e -> Mono.just("unavailable"))
                .map(rating -> Map.of("id", id, "rating", rating));
    }
}
