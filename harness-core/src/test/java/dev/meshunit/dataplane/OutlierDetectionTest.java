package dev.meshunit.dataplane;

import static dev.meshunit.testing.Configs.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshunit.MeshProxy;
import dev.meshunit.config.IstioConfig;
import dev.meshunit.journal.OutlierEvent;
import dev.meshunit.journal.ResponseFlag;
import dev.meshunit.VirtualTime;
import dev.meshunit.testing.RawHttp;
import dev.meshunit.testing.RawUpstream;
import dev.meshunit.testing.RefusingPort;
import dev.meshunit.testing.TestBackend;
import dev.meshunit.testing.TestBackend.Reply;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** DestinationRule outlierDetection on virtual time: ejection, return, limits, panic. */
class OutlierDetectionTest {
    static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
    static TestBackend a;
    static TestBackend b;
    static TestBackend bad;
    static TestBackend bad2;

    @BeforeAll
    static void start() {
        a = TestBackend.named("a");
        b = TestBackend.named("b");
        bad = TestBackend.scripted("bad", n -> Reply.status(503));
        bad2 = TestBackend.scripted("bad2", n -> Reply.status(500));
    }

    @AfterAll
    static void stop() {
        Stream.of(a, b, bad, bad2).forEach(TestBackend::close);
    }

    /** Service {@code od:9080} over {@code endpoints} ({@code name: port} YAML values), round robin. */
    static IstioConfig config(String outlier, String routeFields, List<String> ports, TestBackend... backends) {
        StringBuilder s = new StringBuilder("""
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: od}
                spec:
                  hosts: [od]
                  location: MESH_INTERNAL
                  resolution: STATIC
                  ports: [{number: 9080, name: http, protocol: HTTP}]
                  endpoints:
                """);
        for (String port : ports) s.append("  - {address: 127.0.0.1, ports: {http: ").append(port).append("}}\n");
        s.append("""
                ---
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: od}
                spec:
                  host: od
                  trafficPolicy:
                    loadBalancer: {simple: ROUND_ROBIN}
                    outlierDetection: %s
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: od}
                spec:
                  hosts: [od]
                  http:
                  - route: [{destination: {host: od}}]
                """.formatted(outlier));
        for (String line : routeFields.lines().toList()) s.append("    ").append(line).append('\n');
        return yaml(s.toString(), backends);
    }

    static IstioConfig config(String outlier, TestBackend... backends) {
        return config(outlier, "", Stream.of(backends).map(t -> "${" + t.name() + "}").toList(), backends);
    }

    static List<String> send(MeshProxy proxy, int n) {
        List<String> seen = new ArrayList<>();
        try (RawHttp c = new RawHttp(proxy.port())) {
            for (int i = 0; i < n; i++) seen.add(c.send("GET", "od:9080", "/", null).header("x-backend"));
        }
        return seen;
    }

    @Test
    void anEndpointAnswering5xxIsEjectedAndReturnsAfterBaseEjectionTimeOnVirtualTime() {
        VirtualTime clock = VirtualTime.startingAt(T0);
        IstioConfig config = config("{consecutive5xxErrors: 3, interval: 1s, baseEjectionTime: 30s, maxEjectionPercent: 100}",
                a, b, bad);
        try (MeshProxy proxy = MeshProxy.builder().config(config).virtualTime(clock).start()) {
            assertThat(send(proxy, 9)).filteredOn("bad"::equals).hasSize(3);
            assertThat(proxy.journal().events()).singleElement().isInstanceOfSatisfying(OutlierEvent.Ejected.class, e -> {
                assertThat(e.endpoint()).isEqualTo("127.0.0.1:" + bad.port());
                assertThat(e.cluster()).isEqualTo("outbound|9080||od.default.svc.cluster.local");
                assertThat(e.reason()).isEqualTo("consecutive_5xx");
                assertThat(e.at()).isEqualTo(T0);
                assertThat(e.until()).isEqualTo(T0.plusSeconds(30));
            });
            assertThat(send(proxy, 10)).containsOnly("a", "b");
            assertThat(proxy.clusterStats().get(0).endpoints()).filteredOn(s -> s.ejected()).hasSize(1);

            clock.advance(Duration.ofSeconds(29));
            assertThat(send(proxy, 10)).containsOnly("a", "b");
            clock.advance(Duration.ofSeconds(1));
            assertThat(send(proxy, 9)).contains("bad");
            assertThat(proxy.journal().events().get(1)).isEqualTo(
                    new OutlierEvent.Returned("127.0.0.1:" + bad.port(), "outbound|9080||od.default.svc.cluster.local",
                            T0.plusSeconds(30)));
            // Ejected again (the 9 requests gave it 3 more errors): twice the base time now.
            assertThat(proxy.journal().events()).hasSize(3).last().isInstanceOfSatisfying(OutlierEvent.Ejected.class,
                    e -> assertThat(e.ejections()).isEqualTo(2));
            clock.advance(Duration.ofSeconds(59));
            assertThat(send(proxy, 6)).containsOnly("a", "b");
            clock.advance(Duration.ofSeconds(1));
            assertThat(send(proxy, 6)).contains("bad");
        }
    }

    @Test
    void neverMoreThanMaxEjectionPercentAreEjected() {
        VirtualTime clock = VirtualTime.startingAt(T0);
        // Istio's default 10%: with three endpoints nothing is ever ejected.
        try (MeshProxy proxy = MeshProxy.builder().config(config("{consecutive5xxErrors: 1}", a, b, bad)).virtualTime(clock).start()) {
            assertThat(send(proxy, 30)).filteredOn("bad"::equals).hasSize(10);
            assertThat(proxy.journal().events()).isEmpty();
        }
        try (MeshProxy proxy = MeshProxy.builder().config(config("{consecutive5xxErrors: 1, maxEjectionPercent: 50}",
                a, bad, bad2)).virtualTime(clock).start()) {
            List<String> seen = send(proxy, 30);
            // One of three is 33%; a second would make 67%, over 50%.
            assertThat(proxy.journal().events()).hasSize(1);
            String ejected = proxy.journal().events().get(0).endpoint().endsWith(":" + bad.port()) ? "bad" : "bad2";
            String kept = ejected.equals("bad") ? "bad2" : "bad";
            assertThat(seen.subList(10, 30)).contains("a", kept).doesNotContain(ejected);
        }
    }

    @Test
    void allEjectedAnswers503UHUnlessMinHealthPercentEnablesPanic() {
        VirtualTime clock = VirtualTime.startingAt(T0);
        String od = "{consecutive5xxErrors: 2, maxEjectionPercent: 100}";
        try (MeshProxy proxy = MeshProxy.builder().config(config(od, bad)).virtualTime(clock).start();
             RawHttp c = new RawHttp(proxy.port())) {
            for (int i = 0; i < 2; i++) assertThat(c.send("GET", "od:9080", "/", null).status()).isEqualTo(503);
            RawHttp.Response r = c.send("GET", "od:9080", "/", null);
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.body()).isEqualTo("no healthy upstream");
            assertThat(proxy.journal().exchanges().get(2).flags()).containsExactly(ResponseFlag.UH);
        }
        String panic = "{consecutive5xxErrors: 2, maxEjectionPercent: 100, minHealthPercent: 50}";
        try (MeshProxy proxy = MeshProxy.builder().config(config(panic, bad)).virtualTime(clock).start()) {
            assertThat(send(proxy, 4)).containsOnly("bad");
            assertThat(proxy.journal().events()).hasSize(1);
        }
    }

    @Test
    void connectFailuresCountAndInjectedFaultsNever() {
        // Real time here: the refused connections are retried (Istio's default policy) after real back-offs.
        RefusingPort held = new RefusingPort();
        int refusing = held.port();
        IstioConfig config = config("{consecutive5xxErrors: 2, maxEjectionPercent: 100}", "",
                List.of("${a}", Integer.toString(refusing)), a);
        try (held; MeshProxy proxy = MeshProxy.builder().config(config).start()) {
            assertThat(send(proxy, 6)).containsOnly("a");
            assertThat(proxy.journal().events()).singleElement().satisfies(e ->
                    assertThat(e.endpoint()).isEqualTo("127.0.0.1:" + refusing));
        }
        IstioConfig faulted = config("{consecutive5xxErrors: 1, maxEjectionPercent: 100}",
                "fault: {abort: {httpStatus: 503, percentage: {value: 100}}}", List.of("${a}"), a);
        try (MeshProxy proxy = MeshProxy.builder().config(faulted).start();
             RawHttp c = new RawHttp(proxy.port())) {
            for (int i = 0; i < 5; i++) assertThat(c.send("GET", "od:9080", "/", null).status()).isEqualTo(503);
            assertThat(proxy.journal().events()).isEmpty();
        }
    }
}
