package dev.meshunit.dataplane;

import static dev.meshunit.testing.Configs.serviceEntry;
import static dev.meshunit.testing.Configs.subsets;
import static dev.meshunit.testing.Configs.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshunit.MeshProxy;
import dev.meshunit.config.IstioConfig;
import dev.meshunit.journal.Exchange;
import dev.meshunit.testing.RawHttp;
import dev.meshunit.testing.TestBackend;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Weighted splits: Istio's 80/20 task over 1,000 requests, reproducible under a seed. */
class SplitTest {
    static TestBackend v1;
    static TestBackend v3;
    static IstioConfig config;

    @BeforeAll
    static void start() {
        v1 = TestBackend.named("v1");
        v3 = TestBackend.named("v3");
        config = yaml(serviceEntry("reviews", v1, v3) + subsets("reviews", "v1", "v3") + """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: reviews}
                spec:
                  hosts: [reviews]
                  http:
                  - route:
                    - {destination: {host: reviews, subset: v1}, weight: 80}
                    - {destination: {host: reviews, subset: v3}, weight: 20}
                """, v1, v3);
    }

    @AfterAll
    static void stop() {
        v1.close();
        v3.close();
    }

    private static List<String> run(long seed, int n) {
        try (MeshProxy proxy = MeshProxy.builder().config(config).seed(seed).start();
             RawHttp c = new RawHttp(proxy.port())) {
            for (int i = 0; i < n; i++) {
                assertThat(c.send("GET", "reviews:9080", "/r/" + i, null).status()).isEqualTo(200);
            }
            assertThat(proxy.journal().seed()).isEqualTo(seed);
            return proxy.journal().exchanges().stream().map(Exchange::subset).toList();
        }
    }

    @Test
    void eightyTwentyWithinThreePointsOverAThousandRequests() {
        List<String> subsets = run(42, 1000);
        long v1Count = subsets.stream().filter("v1"::equals).count();
        assertThat(v1Count).isBetween(770L, 830L);
        assertThat(subsets).containsOnly("v1", "v3");
    }

    @Test
    void sameSeedGivesTheSameSequence() {
        assertThat(run(99, 200)).isEqualTo(run(99, 200));
        assertThat(run(99, 200)).isNotEqualTo(run(100, 200));
    }
}
