package dev.meshunit.config.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshunit.config.IstioConfig;
import dev.meshunit.config.StringMatch;
import dev.meshunit.config.load.ConfigException;
import dev.meshunit.config.load.ConfigLoader;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MeshConfigBuilderTest {

    private static final String YAML = """
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: reviews}
            spec:
              hosts: [reviews]
              ports: [{number: 9080, name: http, protocol: HTTP}]
              resolution: STATIC
              endpoints:
              - {address: 127.0.0.1, ports: {http: 8081}, labels: {version: v1}}
              - {address: 127.0.0.1, ports: {http: 8082}, labels: {version: v2}}
            ---
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: reviews}
            spec:
              host: reviews
              trafficPolicy:
                connectionPool:
                  tcp: {maxConnections: 1}
                  http: {http1MaxPendingRequests: 1, maxRequestsPerConnection: 1}
                outlierDetection: {consecutive5xxErrors: 1, interval: 1s, baseEjectionTime: 3m, maxEjectionPercent: 100}
              subsets:
              - {name: v1, labels: {version: v1}}
              - {name: v2, labels: {version: v2}}
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: reviews}
            spec:
              hosts: [reviews]
              http:
              - match:
                - headers: {end-user: {exact: jason}}
                  uri: {prefix: /reviews}
                fault:
                  delay: {fixedDelay: 7s, percentage: {value: 100}}
                route:
                - destination: {host: reviews, subset: v2}
                  weight: 100
                headers:
                  request: {set: {x-test: "yes"}}
              - route:
                - destination: {host: reviews, subset: v1}
                  weight: 90
                - destination: {host: reviews, subset: v2}
                  weight: 10
                timeout: 2s
                retries: {attempts: 2, perTryTimeout: 500ms, retryOn: "5xx,reset"}
                mirror: {host: reviews, subset: v2}
                mirrorPercentage: {value: 50}
            """;

    private static MeshConfigBuilder reviews() {
        return MeshConfigBuilder.create()
                .serviceEntry("reviews", se -> se.port(9080, "http")
                        .endpoint("127.0.0.1", 8081, Map.of("version", "v1"))
                        .endpoint("127.0.0.1", 8082, Map.of("version", "v2")))
                .destinationRule("reviews", dr -> dr
                        .trafficPolicy(tp -> tp.circuitBreaker(1, 1, 1)
                                .outlierDetection(1, Duration.ofSeconds(1), Duration.ofMinutes(3), 100))
                        .subset("v1", "version", "v1")
                        .subset("v2", "version", "v2"))
                .virtualService("reviews", vs -> vs
                        .http(r -> r.matchHeader("end-user", StringMatch.exact("jason"))
                                .matchUri(StringMatch.prefix("/reviews"))
                                .delay(Duration.ofSeconds(7), 100)
                                .route("reviews", "v2", 100)
                                .requestHeaders(h -> h.set("x-test", "yes")))
                        .http(r -> r.route("reviews", "v1", 90).route("reviews", "v2", 10)
                                .timeout(Duration.ofSeconds(2))
                                .retries(2, Duration.ofMillis(500), "5xx,reset")
                                .mirror("reviews", "v2", 50.0)));
    }

    @Test
    void builderProducesTheSameRecordsAsYaml() {
        IstioConfig fromYaml = ConfigLoader.create().loadString("reviews.yaml", YAML).orThrow();
        assertThat(reviews().build()).isEqualTo(fromYaml);
    }

    @Test
    void builderRunsTheValidatorAndNamesTheBuilderAsSource() {
        MeshConfigBuilder broken = MeshConfigBuilder.create()
                .virtualService("reviews", vs -> vs.http(r -> r.route("reviews", "v1", -20).route("reviews", "v3", 20)));
        assertThatThrownBy(broken::build)
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("<builder>: VirtualService reviews: http[0].route[0].weight: must be >= 0, got -20")
                .hasMessageContaining("<builder>: VirtualService reviews: http[0].route: total destination weight = 0")
                .hasMessageContaining("<builder>: VirtualService reviews: http[0].route[1].destination.subset: "
                        + "Referenced host+subset in destinationrule not found: \"reviews.default.svc.cluster.local+v3\" [IST0101]");
    }

    @Test
    void warningsAreAvailableWithoutThrowing() {
        var result = MeshConfigBuilder.create()
                .serviceEntry("ratings", se -> se.port(9080, "http").endpoint("127.0.0.1", 9, Map.of("version", "v1")))
                .virtualService("ratings", vs -> vs.http(r -> r.abort(500, 0.5).route("ratings")))
                .result();
        assertThat(result.errors()).isEmpty();
        assertThat(result.warnings()).extracting(Object::toString).containsExactly(
                "warning: <builder>: VirtualService ratings: http[0].fault.abort.percentage.value: percentage 0.5 is a percent, "
                        + "i.e. 0.5 in 100 requests; did you mean 50.0?");
    }
}
