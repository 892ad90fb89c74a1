package dev.meshunit.config.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshunit.config.HttpRoute;
import dev.meshunit.config.IstioConfig;
import dev.meshunit.config.LoadBalancerSettings;
import dev.meshunit.config.StringMatch;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LoaderTest {
    private final ConfigLoader loader = ConfigLoader.create();

    private static String vs(String http) {
        return """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata:
                  name: reviews
                spec:
                  hosts: [reviews]
                  http:
                """ + http.indent(2);
    }

    private static List<String> texts(List<Problem> problems) {
        return problems.stream().map(Problem::toString).toList();
    }

    @Test
    void errorNamesFileLineColumnResourceAndFieldPath() {
        LoadResult result = loader.loadResources("broken/negative-weight.yaml");
        assertThat(texts(result.errors())).containsExactly(
                "broken/negative-weight.yaml:12:15: VirtualService reviews: http[0].route[1].weight: must be >= 0, got -20");
    }

    @Test
    void unknownFieldListsAllowedNamesAndWrongTypeNamesExpectedType() {
        LoadResult result = loader.loadResources("broken/retrys.yaml");
        assertThat(texts(result.errors())).containsExactly(
                "broken/retrys.yaml:9:5: VirtualService ratings: http[0].retrys: unknown field \"retrys\"; allowed: name, match, "
                        + "route, redirect, directResponse, delegate, rewrite, timeout, retries, fault, mirror, mirrorPercentage, "
                        + "mirrorPercent, mirrors, corsPolicy, headers",
                "broken/retrys.yaml:11:14: VirtualService ratings: http[0].timeout: expected duration (e.g. \"1s\", \"500ms\"), got integer 10");
    }

    @Test
    void loadOrThrowListsEveryErrorOnePerLineInFileOrder() {
        assertThatThrownBy(() -> loader.loadResources("broken/retrys.yaml", "broken/negative-weight.yaml").orThrow())
                .isInstanceOf(ConfigException.class)
                .hasMessage("""
                        3 config errors:
                        broken/negative-weight.yaml:12:15: VirtualService reviews: http[0].route[1].weight: must be >= 0, got -20
                        broken/retrys.yaml:9:5: VirtualService ratings: http[0].retrys: unknown field "retrys"; allowed: name, match, \
                        route, redirect, directResponse, delegate, rewrite, timeout, retries, fault, mirror, mirrorPercentage, \
                        mirrorPercent, mirrors, corsPolicy, headers
                        broken/retrys.yaml:11:14: VirtualService ratings: http[0].timeout: expected duration (e.g. "1s", "500ms"), got integer 10""");
    }

    @Test
    void snakeCaseFieldNamesAreAccepted() {
        IstioConfig config = loader.loadString("snake.yaml", vs("""
                - route:
                  - destination: {host: reviews}
                  retries: {attempts: 2, per_try_timeout: 2s, retry_on: "5xx"}
                  mirror: {host: reviews}
                  mirror_percent: 50
                """)).config();
        HttpRoute route = config.virtualServices().get(0).http().get(0);
        assertThat(route.retries().perTryTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(route.mirrorPercent()).isEqualTo(50);
    }

    @Test
    void goDurationsAreParsedAndIstioPrecisionIsEnforced() {
        LoadResult ok = loader.loadString("d.yaml", vs("""
                - route: [{destination: {host: reviews}}]
                  timeout: 1m30s
                - route: [{destination: {host: reviews}}]
                  timeout: 0.5s
                  match: [{uri: {prefix: /a}}]
                """));
        assertThat(ok.config().virtualServices().get(0).http()).extracting(HttpRoute::timeout)
                .containsExactly(Duration.ofSeconds(90), Duration.ofMillis(500));
        LoadResult bad = loader.loadString("d.yaml", vs("""
                - route: [{destination: {host: reviews}}]
                  timeout: 1.5ms
                  retries: {attempts: 1, perTryTimeout: 500us, retryOn: 5xx}
                  fault: {delay: {fixedDelay: 1x, percentage: {value: 100}}}
                """));
        assertThat(texts(bad.errors())).containsExactly(
                "d.yaml:9:14: VirtualService reviews: http[0].timeout: only durations to ms precision are supported, got 1.5ms",
                "d.yaml:10:43: VirtualService reviews: http[0].retries.perTryTimeout: duration must be greater than 1ms, got 0.5ms",
                "d.yaml:11:33: VirtualService reviews: http[0].fault.delay.fixedDelay: expected duration (e.g. \"1s\", \"500ms\", \"1m30s\"), got string \"1x\"");
    }

    @Test
    void stringMatchesBindAndRejectTwoKinds() {
        LoadResult result = loader.loadString("m.yaml", vs("""
                - match:
                  - headers: {end-user: {exact: jason}, x-canary: {}}
                    uri: {prefix: /api, regex: "/api/.*"}
                  route: [{destination: {host: reviews}}]
                """));
        assertThat(result.config().virtualServices().get(0).http().get(0).match().get(0).headers())
                .isEqualTo(Map.of("end-user", StringMatch.exact("jason"), "x-canary", StringMatch.present()));
        assertThat(texts(result.errors())).containsExactly(
                "m.yaml:10:34: VirtualService reviews: http[0].match[0].uri.regex: only one of exact, prefix or regex may be set");
    }

    @Test
    void enumsListAllowedValuesAndConsistentHashMapsRingAndMaglev() {
        LoadResult result = loader.loadString("dr.yaml", """
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: reviews}
                spec:
                  host: reviews
                  trafficPolicy:
                    loadBalancer: {simple: FASTEST}
                  subsets:
                  - name: v1
                    trafficPolicy:
                      loadBalancer: {consistentHash: {httpHeaderName: x-user, maglev: {tableSize: 65537}}}
                  - name: v2
                    trafficPolicy:
                      loadBalancer: {consistentHash: {useSourceIp: true, ringHash: {minimumRingSize: 2048}}}
                """);
        assertThat(texts(result.errors())).containsExactly(
                "dr.yaml:7:28: DestinationRule reviews: trafficPolicy.loadBalancer.simple: unknown value \"FASTEST\"; allowed: "
                        + "UNSPECIFIED, LEAST_CONN, RANDOM, PASSTHROUGH, ROUND_ROBIN, LEAST_REQUEST");
        var subsets = result.config().destinationRules().get(0).subsets();
        LoadBalancerSettings.ConsistentHash maglev = subsets.get(0).trafficPolicy().loadBalancer().consistentHash();
        assertThat(maglev.maglev()).isTrue();
        assertThat(maglev.maglevTableSize()).isEqualTo(65537L);
        assertThat(subsets.get(1).trafficPolicy().loadBalancer().consistentHash().ringHashMinimumRingSize()).isEqualTo(2048L);
    }

    @Test
    void placeholdersAreSubstitutedAndUnresolvedOnesReported() {
        String yaml = """
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: reviews}
                spec:
                  hosts: [reviews]
                  ports: [{number: 9080, name: http, protocol: HTTP}]
                  resolution: STATIC
                  endpoints:
                  - {address: 127.0.0.1, ports: {http: "${reviews-v1.port}"}, labels: {version: v1}}
                  - {address: "${host}", ports: {http: "${reviews-v9.port}"}}
                """;
        LoadResult result = loader.withPlaceholders(Map.of("reviews-v1.port", "8081", "host", "127.0.0.2")::get)
                .loadString("se.yaml", yaml);
        assertThat(result.config().serviceEntries().get(0).endpoints().get(0).ports()).isEqualTo(Map.of("http", 8081));
        assertThat(result.config().serviceEntries().get(0).endpoints().get(1).address()).isEqualTo("127.0.0.2");
        assertThat(texts(result.errors())).containsExactly(
                "se.yaml:10:40: ServiceEntry reviews: endpoints[1].ports.http: unresolved placeholder ${reviews-v9.port}");
    }

    @Test
    void applyInOrderReplacesLikeKubectlAndValidatesTheWhole(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path dr = dir.resolve("1-dr.yaml");
        java.nio.file.Path v1 = dir.resolve("2-all-v1.yaml");
        java.nio.file.Path v2 = dir.resolve("3-jason-v2.yaml");
        java.nio.file.Files.writeString(dr, """
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: reviews}
                spec: {host: reviews, subsets: [{name: v1, labels: {version: v1}}, {name: v2, labels: {version: v2}}]}
                """);
        java.nio.file.Files.writeString(v1, """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: reviews}
                spec: {hosts: [reviews], http: [{route: [{destination: {host: reviews, subset: v1}}]}]}
                """);
        java.nio.file.Files.writeString(v2, """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: reviews}
                spec: {hosts: [reviews], http: [{route: [{destination: {host: reviews, subset: v2}}]}]}
                """);
        assertThat(texts(loader.load(v1, v2).errors())).isNotEmpty();
        LoadResult applied = loader.applyInOrder().load(dr, v1, v2);
        assertThat(applied.errors()).isEmpty();
        assertThat(applied.config().virtualServices()).singleElement()
                .satisfies(vs -> assertThat(vs.http().get(0).route().get(0).destination().subset()).isEqualTo("v2"));
    }

    @Test
    void aResourceWithoutApiVersionIsAnErrorNotACrash() {
        LoadResult r = loader.loadString("noapi.yaml", """
                kind: VirtualService
                metadata: {name: x}
                spec: {hosts: [x], http: [{route: [{destination: {host: x}}]}]}
                """);
        assertThat(texts(r.errors())).singleElement().asString()
                .startsWith("noapi.yaml:1:1: ").contains("apiVersion").contains("it has none");
    }

    @Test
    void aKindThatIsNotAStringIsNamedAsSuch() {
        LoadResult r = loader.loadString("k.yaml", """
                apiVersion: networking.istio.io/v1
                kind: [VirtualService]
                metadata: {name: x}
                """);
        assertThat(texts(r.errors())).singleElement().asString()
                .startsWith("k.yaml:2:7: ").contains("kind must be a string");
    }

    @Test
    void yamlSyntaxErrorsSayWhatWasExpected() {
        LoadResult r = loader.loadString("syntax.yaml", """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: x}
                spec:
                  hosts: [x
                  http: []
                """);
        assertThat(texts(r.errors())).singleElement().asString()
                .contains("invalid YAML: while parsing a flow sequence").contains("expected ',' or ']'");
    }

    @Test
    void unquotedPlaceholdersWorkInsideFlowCollectionsWithExactPositions() {
        String yaml = """
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: reviews}
                spec:
                  hosts: [reviews]
                  ports: [{number: 9080, name: http, protocol: HTTP}]
                  resolution: STATIC
                  endpoints:
                  - {address: 127.0.0.1, ports: {http: ${reviews-v1.port}}, labels: {version: v1}}
                  - {address: ${host}, ports: {http: ${reviews-v9.port}}}
                """;
        LoadResult result = loader.withPlaceholders(Map.of("reviews-v1.port", "8081", "host", "127.0.0.2")::get)
                .loadString("se.yaml", yaml);
        assertThat(result.config().serviceEntries().get(0).endpoints().get(0).ports()).isEqualTo(Map.of("http", 8081));
        assertThat(result.config().serviceEntries().get(0).endpoints().get(1).address()).isEqualTo("127.0.0.2");
        assertThat(texts(result.errors())).containsExactly(
                "se.yaml:10:38: ServiceEntry reviews: endpoints[1].ports.http: unresolved placeholder ${reviews-v9.port}");
    }

    @Test
    void otherKindsAndListsAndApiVersions() {
        LoadResult result = loader.loadString("k.yaml", """
                apiVersion: v1
                kind: List
                items:
                - apiVersion: networking.istio.io/v1alpha3
                  kind: Gateway
                  metadata: {name: gw}
                - apiVersion: networking.istio.io/v2
                  kind: DestinationRule
                  metadata: {name: dr}
                  spec: {host: reviews}
                ---
                apiVersion: networking.istio.io/v1alpha3
                kind: DestinationRule
                metadata: {name: ok}
                spec: {host: reviews}
                """);
        assertThat(texts(result.problems())).containsExactly(
                "k.yaml:4:3: Gateway gw: servers: gateway must have at least one server",
                "warning: k.yaml:4:3: skipped Gateway (networking.istio.io/v1alpha3): MeshUnit reads only VirtualService, "
                        + "DestinationRule, ServiceEntry, WorkloadEntry",
                "k.yaml:7:15: apiVersion: DestinationRule needs apiVersion networking.istio.io/v1, networking.istio.io/v1alpha3, "
                        + "networking.istio.io/v1beta1; got networking.istio.io/v2");
        assertThat(result.config().destinationRules()).hasSize(1);
    }

    @Test
    void yamlSyntaxErrorsArePositioned() {
        LoadResult result = loader.loadString("s.yaml", "kind: VirtualService\nspec:\n  hosts: [a\n");
        assertThat(result.errors()).singleElement().satisfies(p -> {
            assertThat(p.position().source()).isEqualTo("s.yaml");
            assertThat(p.message()).startsWith("invalid YAML");
        });
    }

    @Test
    void fieldsNotActedOnAreWarnedAbout() {
        LoadResult result = loader.loadString("w.yaml", """
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: reviews}
                spec:
                  host: reviews
                  exportTo: ["."]
                  trafficPolicy:
                    tunnel: {protocol: CONNECT, targetHost: example.com, targetPort: 443}
                """);
        assertThat(result.errors()).isEmpty();
        assertThat(texts(result.warnings())).containsExactly(
                "warning: w.yaml:6:13: DestinationRule reviews: exportTo: accepted but not acted on by MeshUnit "
                        + "(visibility has no meaning in a single proxy)",
                "warning: w.yaml:8:13: DestinationRule reviews: trafficPolicy.tunnel: accepted but not acted on by MeshUnit "
                        + "(HTTP CONNECT tunnelling is not simulated)");
    }

    @Test
    void misspelledTopLevelFieldsAreErrors() {
        LoadResult result = loader.loadString("t.yaml", """
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: reviews}
                specs: {host: reviews}
                """);
        assertThat(texts(result.errors())).containsExactly(
                "t.yaml:1:1: DestinationRule reviews: host: host is required",
                "t.yaml:4:1: DestinationRule reviews: specs: unknown field \"specs\"; allowed: apiVersion, kind, metadata, spec, status");
    }
}
