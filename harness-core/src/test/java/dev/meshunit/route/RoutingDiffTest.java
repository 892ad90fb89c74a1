package dev.meshunit.route;

import static dev.meshunit.testing.Configs.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshunit.config.IstioConfig;
import dev.meshunit.route.DecisionChange.Aspect;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The same requests through two configs: changes named by aspect, splits compared as distributions. */
class RoutingDiffTest {
    static final String SERVICES = """
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: reviews}
            spec:
              hosts: [reviews]
              resolution: STATIC
              ports: [{number: 9080, name: http, protocol: HTTP}]
              endpoints:
              - {address: 127.0.0.1, ports: {http: 1}, labels: {version: v1}}
              - {address: 127.0.0.1, ports: {http: 2}, labels: {version: v2}}
            ---
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: reviews}
            spec:
              host: reviews
              subsets: [{name: v1, labels: {version: v1}}, {name: v2, labels: {version: v2}}]
            ---
            """;

    static IstioConfig split(int v1, int v2, String extra) {
        return yaml(SERVICES + """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: reviews}
                spec:
                  hosts: [reviews]
                  http:
                  - route:
                    - {destination: {host: reviews, subset: v1}, weight: %d}
                    - {destination: {host: reviews, subset: v2}, weight: %d}
                %s""".formatted(v1, v2, extra));
    }

    static final List<RouteRequest> REQUESTS = List.of(RouteRequest.get("http://reviews:9080/reviews/1"),
            RouteRequest.get("http://reviews:9080/reviews/2", "end-user", "jason"));

    @Test
    void eightyTwentyToFiftyFiftyIsADistributionChange() {
        RoutingDiff.Result result = RoutingDiff.between(split(80, 20, ""), split(50, 50, "")).run(REQUESTS);

        assertThat(result.changes()).hasSize(2).allSatisfy(c -> {
            assertThat(c.aspects()).containsExactly(Aspect.DESTINATION);
            assertThat(c.distributionChange()).isTrue();
            assertThat(c.shiftedShare()).isCloseTo(0.3, org.assertj.core.data.Offset.offset(1e-9));
            assertThat(c.allowed()).isFalse();
        });
        assertThat(result.describe()).contains(
                "destination  v1 80% / v2 20% -> v1 50% / v2 50%  (distribution change, 30% of requests move)",
                "2 requests, 2 decisions changed (0 allowed, 2 unexpected)");
    }

    @Test
    void sameConfigSameDecisionsEvenForSplits() {
        RoutingDiff.Result result = RoutingDiff.between(split(80, 20, ""), split(80, 20, "")).run(REQUESTS);
        assertThat(result.changes()).isEmpty();
        assertThat(result.hasUnexpected()).isFalse();
        assertThat(result.describe()).isEqualToIgnoringNewLines("2 requests, 0 decisions changed");
    }

    @Test
    void expectationsAllowChangesByServiceAndAspect() {
        IstioConfig before = split(80, 20, "");
        IstioConfig after = split(50, 50, "    timeout: 3s\n");

        RoutingDiff diff = RoutingDiff.between(before, after);
        assertThat(diff.run(REQUESTS).changes().get(0).aspects()).containsExactly(Aspect.DESTINATION, Aspect.TIMEOUT);
        assertThat(diff.allow("reviews:destination").run(REQUESTS).hasUnexpected()).as("timeout not allowed").isTrue();
        assertThat(diff.allow("reviews:destination", "*:timeout").run(REQUESTS).hasUnexpected()).isFalse();
        assertThat(diff.allow("reviews").run(REQUESTS).hasUnexpected()).isFalse();
        assertThat(diff.allow("ratings").run(REQUESTS).hasUnexpected()).isTrue();
    }

    @Test
    void movingToOtherDestinationsIsNotADistributionChange() {
        IstioConfig after = yaml(SERVICES + """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: reviews}
                spec:
                  hosts: [reviews]
                  http:
                  - match: [{headers: {end-user: {exact: jason}}}]
                    route: [{destination: {host: reviews, subset: v2}}]
                  - route: [{destination: {host: reviews, subset: v1}}]
                """);
        RoutingDiff.Result result = RoutingDiff.between(split(80, 20, ""), after).run(REQUESTS);

        DecisionChange everyone = result.changes().get(0);
        assertThat(everyone.aspects()).containsExactly(Aspect.ROUTE, Aspect.DESTINATION);
        assertThat(everyone.distributionChange()).isFalse();
        assertThat(everyone.shiftedShare()).isCloseTo(0.2, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(result.changes().get(1).shiftedShare()).isCloseTo(0.8, org.assertj.core.data.Offset.offset(1e-9));
    }
}
