package dev.meshunit.config.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Cross-resource analyzers and lint, with the istioctl codes where Istio has one. */
class ValidatorTest {
    private static final String SE = """
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: reviews}
            spec:
              hosts: [reviews]
              ports: [{number: 9080, name: http, protocol: HTTP}]
              resolution: STATIC
              endpoints:
              - {address: 127.0.0.1, ports: {http: 8081}, labels: {version: v1}}
            ---
            """;

    private final ConfigLoader loader = ConfigLoader.create();

    private List<String> problems(String yaml) {
        return loader.loadString("c.yaml", yaml).problems().stream().map(Problem::toString).toList();
    }

    @Test
    void subsetsMustBeDefinedAndShouldSelectEndpoints() {
        assertThat(problems(SE + """
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: reviews}
                spec:
                  host: reviews.default.svc.cluster.local
                  subsets:
                  - {name: v1, labels: {version: v1}}
                  - {name: v2, labels: {version: v2}}
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: reviews}
                spec:
                  hosts: [reviews.default]
                  http:
                  - route:
                    - destination: {host: reviews, subset: v2}
                    mirror: {host: reviews, subset: v3}
                """)).containsExactly(
                "warning: c.yaml:18:5: DestinationRule reviews: subsets[1]: subset v2 selects no endpoint of "
                        + "reviews.default.svc.cluster.local; requests to it will get 503 (UH) [IST0173]",
                "c.yaml:28:37: VirtualService reviews: http[0].mirror.subset: Referenced host+subset in destinationrule not "
                        + "found: \"reviews.default.svc.cluster.local+v3\" [IST0101]");
    }

    private static final String CONFLICT = "The VirtualServices default/a,default/b associated with mesh gateway define the "
            + "same host */reviews.default.svc.cluster.local which can lead to undefined behavior. This can be fixed by "
            + "merging the conflicting VirtualServices into a single resource. [IST0109]";

    @Test
    void twoVirtualServicesForOneHostAndDuplicateNamesAreErrors() {
        String vs = """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: %s}
                spec:
                  hosts: [%s]
                  http: [{route: [{destination: {host: reviews}}]}]
                ---
                """;
        assertThat(problems(SE + vs.formatted("a", "reviews") + vs.formatted("b", "reviews.default.svc.cluster.local")
                + vs.formatted("b", "other.example.com"))).containsExactly(
                "c.yaml:13:18: VirtualService a: metadata.name: " + CONFLICT,
                "c.yaml:20:18: VirtualService b: metadata.name: " + CONFLICT,
                "c.yaml:27:18: VirtualService b: metadata.name: duplicate name b in namespace default");
    }

    @Test
    void rulesAfterACatchAllAreUnreachable() {
        assertThat(problems(SE + """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: reviews}
                spec:
                  hosts: [reviews]
                  http:
                  - match: [{uri: {prefix: /}}]
                    route: [{destination: {host: reviews}}]
                  - match: [{headers: {end-user: {exact: jason}}}]
                    route: [{destination: {host: reviews}}]
                """)).containsExactly(
                "warning: c.yaml:19:5: VirtualService reviews: http[1]: VirtualService rule #1 not used (only the last rule "
                        + "can have no matches; http[0] matches every request) [IST0130]");
    }

    @Test
    void lintForClassicSurprises() {
        assertThat(problems(SE + """
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: reviews}
                spec:
                  host: reviews
                  trafficPolicy:
                    outlierDetection: {consecutive5xxErrors: 1}
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: reviews}
                spec:
                  hosts: [reviews]
                  http:
                  - match: [{uri: {regex: "/(?=api)"}}]
                    route: [{destination: {host: reviews}}]
                    retries: {attempts: 3, perTryTimeout: 1s}
                    fault: {abort: {httpStatus: 503}}
                  - route: [{destination: {host: ratings}}]
                """)).containsExactly(
                "warning: c.yaml:17:23: DestinationRule reviews: trafficPolicy.outlierDetection: maxEjectionPercent is unset "
                        + "(Envoy default 10%) and reviews.default.svc.cluster.local has 1 endpoints: nothing will be ejected; "
                        + "set maxEjectionPercent: 100",
                "c.yaml:25:27: VirtualService reviews: http[0].match[0].uri.regex: \"/(?=api)\" is not a valid regex; Istio uses "
                        + "RE2 style regex-based match (invalid or unsupported Perl syntax)",
                "warning: c.yaml:27:43: VirtualService reviews: http[0].retries.perTryTimeout: a per-try timeout is only "
                        + "retried when retryOn contains 5xx, gateway-error or reset; otherwise the first timeout answers 504",
                "warning: c.yaml:28:20: VirtualService reviews: http[0].fault.abort.percentage: no percentage: this fault will never fire",
                "warning: c.yaml:29:34: VirtualService reviews: http[1].route[0].destination.host: no ServiceEntry declares "
                        + "ratings.default.svc.cluster.local; requests to it will get 503 (NC)");
    }
}
