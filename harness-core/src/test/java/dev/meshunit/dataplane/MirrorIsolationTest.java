package dev.meshunit.dataplane;

import static dev.meshunit.testing.Configs.serviceEntry;
import static dev.meshunit.testing.Configs.yaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshunit.MeshProxy;
import dev.meshunit.config.IstioConfig;
import dev.meshunit.journal.Exchange;
import dev.meshunit.journal.ResponseFlag;
import dev.meshunit.journal.ShadowExchange;
import dev.meshunit.testing.NoLeaks;
import dev.meshunit.testing.RawHttp;
import dev.meshunit.testing.RawUpstream;
import dev.meshunit.testing.TestBackend;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Fire and forget: a shadow that is slow, answers 500 or resets changes neither the primary's status nor its
 * latency. Latency is compared on interleaved requests to two proxies, one mirroring and one not, so that
 * load from other tests hits both alike.
 */
@ExtendWith(NoLeaks.class)
class MirrorIsolationTest {
    private static final int ROUNDS = 200;

    private static IstioConfig config(TestBackend primary, int shadowPort, boolean mirror) {
        return yaml(serviceEntry("reviews", primary) + """
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: shadow}
                spec:
                  hosts: [shadow]
                  location: MESH_INTERNAL
                  resolution: STATIC
                  ports: [{number: 9080, name: http, protocol: HTTP}]
                  endpoints: [{address: 127.0.0.1, ports: {http: %d}}]
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: reviews}
                spec:
                  hosts: [reviews]
                  http:
                  - route: [{destination: {host: reviews}}]
                """.formatted(shadowPort) + (mirror ? "    mirror: {host: shadow}\n" : ""), primary);
    }

    @Test
    void aSlowShadowAddsNoLatencyToThePrimary() {
        try (TestBackend primary = TestBackend.named("primary");
             TestBackend slow = TestBackend.scripted("slow", n -> TestBackend.Reply.ok("late").delayed(5_000));
             MeshProxy mirroring = MeshProxy.builder().config(config(primary, slow.port(), true)).start();
             MeshProxy plain = MeshProxy.builder().config(config(primary, slow.port(), false)).start();
             MeshProxy plainToo = MeshProxy.builder().config(config(primary, slow.port(), false)).start()) {
            measure(mirroring, plain, plainToo); // warm-up: JIT, connection pools
            Latencies best = null;
            // A burst of load from elsewhere can land on either side; three runs, the best one kept.
            for (int run = 0; run < 3 && (best == null || !best.withinBudget()); run++) {
                Latencies l = measure(mirroring, plain, plainToo);
                if (best == null || l.excess() < best.excess()) best = l;
            }
            System.out.println("[MirrorIsolationTest] slow shadow, " + ROUNDS + " interleaved rounds: " + best);
            assertThat(best.withinBudget()).as(best.toString()).isTrue();

            // Structure: the primaries were journalled in milliseconds while their shadows took 5 s.
            assertThat(mirroring.journal().exchanges()).allSatisfy(e -> {
                assertThat(e.status()).isEqualTo(200);
                assertThat(e.durationMs()).isLessThan(1_000);
            });
            await().atMost(Duration.ofSeconds(20)).until(() -> !mirroring.journal().shadows().all().isEmpty());
            ShadowExchange shadow = mirroring.journal().shadows().all().get(0);
            assertThat(shadow.status()).isEqualTo(200);
            assertThat(shadow.durationMs()).isGreaterThanOrEqualTo(4_900);
            Exchange itsPrimary = mirroring.journal().select(e -> e.id() == shadow.primaryId()).get(0);
            assertThat(itsPrimary.durationMs()).isLessThan(1_000);
        }
    }

    /** Rounds of one request through each proxy, in rotating order so that none profits from going first. */
    private static Latencies measure(MeshProxy mirroring, MeshProxy plain, MeshProxy plainToo) {
        long[][] micros = new long[3][ROUNDS];
        try (RawHttp a = new RawHttp(mirroring.port()); RawHttp b = new RawHttp(plain.port());
             RawHttp c = new RawHttp(plainToo.port())) {
            RawHttp[] clients = {a, b, c};
            for (int i = 0; i < ROUNDS; i++) {
                for (int k = 0; k < 3; k++) {
                    int side = (i + k) % 3;
                    micros[side][i] = timed(clients[side]);
                }
            }
        }
        long[] paired = new long[ROUNDS];
        for (int i = 0; i < ROUNDS; i++) paired[i] = micros[0][i] - micros[1][i];
        return new Latencies(percentile(paired, 50), percentile(micros[0], 99), percentile(micros[1], 99),
                percentile(micros[2], 99));
    }

    private static long timed(RawHttp c) {
        long t = System.nanoTime();
        RawHttp.Response r = c.send("POST", "reviews:9080", "/", "payload");
        long micros = (System.nanoTime() - t) / 1_000;
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("primary");
        return micros;
    }

    private static long percentile(long[] values, int p) {
        long[] s = values.clone();
        Arrays.sort(s);
        return s[Math.min(s.length - 1, (int) Math.ceil(p / 100.0 * s.length) - 1)];
    }

    /**
     * Client-side latencies in microseconds. Budget: the median of paired differences (mirroring minus plain,
     * same round) under 2 ms, and p99 with mirroring at most 5 ms above the worse plain p99, plus the noise
     * floor: how far apart the two identical plain proxies' p99 came out in the same run.
     */
    record Latencies(long pairedMedianAdded, long p99With, long p99Plain, long p99PlainToo) {
        long noise() {
            return Math.abs(p99Plain - p99PlainToo);
        }

        long excess() {
            return p99With - Math.max(p99Plain, p99PlainToo) - noise();
        }

        boolean withinBudget() {
            return pairedMedianAdded < 2_000 && excess() < 5_000;
        }

        @Override
        public String toString() {
            return "median added %.2f ms; p99 %.2f ms with mirroring vs %.2f / %.2f ms without (noise floor %.2f ms)"
                    .formatted(pairedMedianAdded / 1000.0, p99With / 1000.0, p99Plain / 1000.0, p99PlainToo / 1000.0,
                            noise() / 1000.0);
        }
    }

    @Test
    void aFailingShadowChangesNothingForTheCaller() {
        try (TestBackend primary = TestBackend.named("primary");
             TestBackend failing = TestBackend.scripted("failing", n -> TestBackend.Reply.status(500));
             MeshProxy proxy = MeshProxy.builder().config(config(primary, failing.port(), true)).start();
             RawHttp c = new RawHttp(proxy.port())) {
            for (int i = 0; i < 10; i++) {
                RawHttp.Response r = c.send("GET", "reviews:9080", "/", null);
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.body()).isEqualTo("primary");
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> proxy.journal().shadows().all().size() == 10);
            assertThat(proxy.journal().shadows().all()).extracting(ShadowExchange::status).containsOnly(500);
            assertThat(proxy.journal().exchanges()).extracting(Exchange::status).containsOnly(200);
        }
    }

    @Test
    void aShadowThatResetsOrRefusesChangesNothingForTheCaller() {
        try (TestBackend primary = TestBackend.named("primary");
             RawUpstream resetting = RawUpstream.start(conn -> {
                 conn.read();
                 conn.reset();
             });
             MeshProxy resets = MeshProxy.builder().config(config(primary, resetting.port(), true)).start();
             MeshProxy refused = MeshProxy.builder().config(config(primary, RawUpstream.refusingPort(), true)).start()) {
            for (MeshProxy proxy : List.of(resets, refused)) {
                try (RawHttp c = new RawHttp(proxy.port())) {
                    for (int i = 0; i < 5; i++) assertThat(c.send("GET", "reviews:9080", "/", null).status()).isEqualTo(200);
                }
                await().atMost(Duration.ofSeconds(20)).until(() -> proxy.journal().shadows().all().size() == 5);
                assertThat(proxy.journal().exchanges()).extracting(Exchange::status).containsOnly(200);
            }
            assertThat(resets.journal().shadows().all()).allSatisfy(s -> assertThat(s.flags()).containsExactly(ResponseFlag.UC));
            assertThat(refused.journal().shadows().all()).allSatisfy(s -> assertThat(s.flags()).containsExactly(ResponseFlag.UF));
        }
    }

    @Test
    void closingTheProxyClosesTheShadowConnectionsStillOpen() {
        try (TestBackend primary = TestBackend.named("primary");
             RawUpstream silent = RawUpstream.start(conn -> {
                 conn.read();
                 conn.awaitPeerClose();
             })) {
            MeshProxy proxy = MeshProxy.builder().config(config(primary, silent.port(), true)).start();
            try (RawHttp c = new RawHttp(proxy.port())) {
                for (int i = 0; i < 5; i++) assertThat(c.send("GET", "reviews:9080", "/", null).status()).isEqualTo(200);
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> silent.requests().size() == 5);
            assertThat(proxy.shadowsInFlight()).isEqualTo(5);
            proxy.close();
            await().atMost(Duration.ofSeconds(20)).until(() -> silent.openConnections() == 0);
            assertThat(proxy.shadowsInFlight()).isZero();
            assertThat(proxy.journal().shadows().all()).hasSize(5)
                    .allSatisfy(s -> assertThat(s.flags()).containsExactly(ResponseFlag.UC));
        }
    }

    @Test
    void shadowsOverTheInFlightBoundAreDroppedNotQueued() {
        try (TestBackend primary = TestBackend.named("primary");
             TestBackend slow = TestBackend.scripted("slow", n -> TestBackend.Reply.ok("late").delayed(3_000));
             MeshProxy proxy = MeshProxy.builder().config(config(primary, slow.port(), true))
                     .mirrorLimits(1024, 2, Duration.ofSeconds(1)).start();
             RawHttp c = new RawHttp(proxy.port())) {
            for (int i = 0; i < 5; i++) assertThat(c.send("GET", "reviews:9080", "/", null).status()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(20)).until(() -> proxy.shadowsInFlight() == 0);
            List<ShadowExchange> shadows = proxy.journal().shadows().all();
            assertThat(shadows).hasSize(5);
            assertThat(shadows).filteredOn(s -> s.flags().contains(ResponseFlag.UO)).hasSize(3);
            assertThat(shadows).filteredOn(s -> s.flags().contains(ResponseFlag.UT)).hasSize(2)
                    .allSatisfy(s -> assertThat(s.note()).isEqualTo("shadow timeout"));
        }
    }
}
