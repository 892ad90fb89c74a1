package dev.meshunit.dataplane;

import static dev.meshunit.testing.Configs.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshunit.MeshProxy;
import dev.meshunit.config.IstioConfig;
import dev.meshunit.testing.Concurrent;
import dev.meshunit.testing.RawHttp;
import dev.meshunit.testing.TestBackend;
import dev.meshunit.testing.TestBackend.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** DestinationRule loadBalancer: the simple balancers, consistent hashing and endpoint weights. */
class LoadBalancingTest {
    static TestBackend a;
    static TestBackend b;
    static TestBackend c;
    static TestBackend d;

    @BeforeAll
    static void start() {
        a = TestBackend.named("a");
        b = TestBackend.named("b");
        c = TestBackend.named("c");
        d = TestBackend.named("d");
    }

    @AfterAll
    static void stop() {
        Stream.of(a, b, c, d).forEach(TestBackend::close);
    }

    /** Service {@code lb:9080} over the given backends (weight 1 unless given) with a DR of {@code lbYaml}. */
    static IstioConfig config(String lbYaml, Map<TestBackend, Integer> weights, TestBackend... backends) {
        return yaml(yamlOf(lbYaml, weights, backends), backends);
    }

    static String yamlOf(String lbYaml, Map<TestBackend, Integer> weights, TestBackend... backends) {
        StringBuilder s = new StringBuilder("""
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: lb}
                spec:
                  hosts: [lb]
                  location: MESH_INTERNAL
                  resolution: STATIC
                  ports: [{number: 9080, name: http, protocol: HTTP}]
                  endpoints:
                """);
        for (TestBackend t : backends) {
            s.append("  - {address: 127.0.0.1, ports: {http: ${").append(t.name()).append("}}, weight: ")
                    .append(weights.getOrDefault(t, 1)).append("}\n");
        }
        s.append("""
                ---
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: lb}
                spec:
                  host: lb
                  trafficPolicy:
                    loadBalancer: %s
                ---
                """.formatted(lbYaml));
        return s.toString();
    }

    static String backendOf(RawHttp client, String... headers) {
        RawHttp.Response r = client.send("GET", "lb:9080", "/", null, headers);
        assertThat(r.status()).isEqualTo(200);
        return r.header("x-backend");
    }

    @Test
    void roundRobinCyclesExactlyOverThreeEndpoints() {
        try (MeshProxy proxy = MeshProxy.builder().config(config("{simple: ROUND_ROBIN}", Map.of(), a, b, c)).start();
             RawHttp client = new RawHttp(proxy.port())) {
            List<String> seen = new ArrayList<>();
            for (int i = 0; i < 12; i++) seen.add(backendOf(client));
            assertThat(seen.subList(0, 3)).containsExactlyInAnyOrder("a", "b", "c");
            for (int i = 3; i < 12; i++) assertThat(seen.get(i)).as("request %d", i).isEqualTo(seen.get(i - 3));
        }
    }

    @Test
    void roundRobinFollowsServiceEntryWeights() {
        try (MeshProxy proxy = MeshProxy.builder().config(config("{simple: ROUND_ROBIN}", Map.of(a, 2), a, b)).start();
             RawHttp client = new RawHttp(proxy.port())) {
            List<String> seen = new ArrayList<>();
            for (int i = 0; i < 9; i++) seen.add(backendOf(client));
            assertThat(seen).containsExactly("a", "a", "b", "a", "a", "b", "a", "a", "b");
        }
    }

    @Test
    void randomIsReproducibleUnderASeed() {
        IstioConfig config = config("{simple: RANDOM}", Map.of(), a, b, c);
        List<List<String>> runs = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            try (MeshProxy proxy = MeshProxy.builder().config(config).seed(7).start();
                 RawHttp client = new RawHttp(proxy.port())) {
                List<String> seen = new ArrayList<>();
                for (int i = 0; i < 30; i++) seen.add(backendOf(client));
                runs.add(seen);
            }
        }
        assertThat(runs.get(0)).isEqualTo(runs.get(1)).contains("a", "b", "c");
    }

    @Test
    void leastRequestFavoursTheEndpointThatAnswersFaster() {
        try (TestBackend fast = TestBackend.named("fast");
             TestBackend slow = TestBackend.scripted("slow", n -> Reply.ok("slow").delayed(150))) {
            IstioConfig config = config("{simple: LEAST_REQUEST}", Map.of(), fast, slow);
            try (MeshProxy proxy = MeshProxy.builder().config(config).seed(3).start()) {
                List<String> seen = Concurrent.run(8, 80, i -> {
                    try (RawHttp client = new RawHttp(proxy.port())) {
                        return backendOf(client);
                    }
                });
                long fastCount = seen.stream().filter("fast"::equals).count();
                // P2C sends to the slow endpoint only when both picks are it, while it is busier: about 1 in 4.
                assertThat(fastCount).as("fast endpoint's share of %s", seen).isGreaterThanOrEqualTo(52);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"{consistentHash: {httpHeaderName: x-user}}",
            "{consistentHash: {httpHeaderName: x-user, maglev: {tableSize: 65537}}}"})
    void sameHeaderValueAlwaysReachesTheSameEndpointAndANewEndpointMovesAMinority(String lb) {
        // Ring hash moves about 35% of keys here (each old host gives up a quarter of its points), Maglev 25%.
        Map<String, String> before = users(config(lb, Map.of(), a, b, c), 2);
        assertThat(before.values()).contains("a", "b", "c");
        Map<String, String> after = users(config(lb, Map.of(), a, b, c, d), 1);
        long moved = before.keySet().stream().filter(u -> !before.get(u).equals(after.get(u))).count();
        assertThat(moved).as("keys moved by adding a fourth endpoint").isBetween(15L, 149L);
    }

    /** The endpoint of each of 300 users, checking that every user lands on one endpoint {@code rounds} times. */
    private static Map<String, String> users(IstioConfig config, int rounds) {
        try (MeshProxy proxy = MeshProxy.builder().config(config).start();
             RawHttp client = new RawHttp(proxy.port())) {
            Map<String, List<String>> seen = new java.util.TreeMap<>();
            for (int r = 0; r < rounds; r++) {
                for (int u = 0; u < 300; u++) {
                    seen.computeIfAbsent("user-" + u, k -> new ArrayList<>()).add(backendOf(client, "x-user: user-" + u));
                }
            }
            seen.forEach((user, endpoints) -> assertThat(endpoints).as(user).containsOnly(endpoints.get(0)));
            return seen.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().get(0)));
        }
    }

    @Test
    void aGeneratedCookieIsSetOnceAndKeepsTheClientOnItsEndpoint() {
        IstioConfig config = config("{consistentHash: {httpCookie: {name: session, path: /, ttl: 60s}}}", Map.of(), a, b, c);
        try (MeshProxy proxy = MeshProxy.builder().config(config).start();
             RawHttp client = new RawHttp(proxy.port())) {
            java.util.Set<String> endpoints = new java.util.HashSet<>();
            for (int i = 0; i < 10; i++) {
                RawHttp.Response first = client.send("GET", "lb:9080", "/", null);
                String setCookie = first.header("set-cookie");
                assertThat(setCookie).matches("session=\"[0-9a-f]+\"; Path=/; Max-Age=60; HttpOnly");
                String cookie = setCookie.substring(0, setCookie.indexOf(';'));
                for (int k = 0; k < 3; k++) {
                    RawHttp.Response again = client.send("GET", "lb:9080", "/", null, "Cookie: " + cookie);
                    assertThat(again.header("set-cookie")).isNull();
                    assertThat(again.header("x-backend")).isEqualTo(first.header("x-backend"));
                }
                endpoints.add(first.header("x-backend"));
            }
            assertThat(endpoints).hasSizeGreaterThan(1);
        }
    }

    @Test
    void queryParameterAndSourceIpAreKeysToo() {
        try (MeshProxy proxy = MeshProxy.builder()
                .config(config("{consistentHash: {httpQueryParameterName: user}}", Map.of(), a, b, c)).start();
             RawHttp client = new RawHttp(proxy.port())) {
            for (int u = 0; u < 10; u++) {
                String path = "/?user=u" + u;
                String first = client.send("GET", "lb:9080", path, null).header("x-backend");
                assertThat(client.send("GET", "lb:9080", path, null).header("x-backend")).isEqualTo(first);
            }
        }
        try (MeshProxy proxy = MeshProxy.builder()
                .config(config("{consistentHash: {useSourceIp: true}}", Map.of(), a, b, c)).start()) {
            List<String> seen = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                try (RawHttp client = new RawHttp(proxy.port())) {
                    seen.add(backendOf(client));
                }
            }
            assertThat(seen).containsOnly(seen.get(0));
        }
    }

    @Test
    void retriesUnderConsistentHashStayOnTheHashedEndpoint() {
        try (TestBackend failing = TestBackend.scripted("failing", n -> Reply.status(503));
             TestBackend other = TestBackend.named("other")) {
            IstioConfig config = yaml(yamlOf("{consistentHash: {httpHeaderName: x-user}}", Map.of(), failing, other) + """
                    apiVersion: networking.istio.io/v1
                    kind: VirtualService
                    metadata: {name: lb}
                    spec:
                      hosts: [lb]
                      http:
                      - route: [{destination: {host: lb}}]
                        retries: {attempts: 3, retryOn: 5xx}
                    """, failing, other);
            try (MeshProxy proxy = MeshProxy.builder().config(config).start();
                 RawHttp client = new RawHttp(proxy.port())) {
                int user = 0;
                while (user < 30 && client.send("GET", "lb:9080", "/u" + user, null, "x-user: u" + user).status() == 200) {
                    user++;
                }
                assertThat(user).as("a user hashed to the failing endpoint").isLessThan(30);
                String path = "/u" + user;
                var attempts = proxy.journal().select(e -> e.path().equals(path)).get(0).attempts();
                assertThat(attempts).hasSize(4)
                        .allSatisfy(at -> assertThat(at.endpoint()).isEqualTo("127.0.0.1:" + failing.port()));
            }
        }
    }
}
