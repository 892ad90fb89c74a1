package dev.meshunit.dataplane;

import static dev.meshunit.testing.Configs.serviceEntry;
import static dev.meshunit.testing.Configs.yaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshunit.MeshProxy;
import dev.meshunit.VirtualTime;
import dev.meshunit.config.IstioConfig;
import dev.meshunit.journal.Exchange;
import dev.meshunit.journal.ResponseFlag;
import dev.meshunit.journal.ShadowExchange;
import dev.meshunit.testing.NoLeaks;
import dev.meshunit.testing.RawHttp;
import dev.meshunit.testing.RawUpstream;
import dev.meshunit.testing.RefusingPort;
import dev.meshunit.testing.TestBackend;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Fire and forget: a shadow that is slow, answers 500 or resets changes neither the primary's status nor its
 * latency. Latency is shown on virtual time, where waiting for a shadow would show as time; how much a shadow
 * costs in real time is for the benchmarks.
 */
@ExtendWith(NoLeaks.class)
class MirrorIsolationTest {
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

    /**
     * On virtual time, nothing the primary does can wait for time to pass: every primary is answered and
     * journalled with a duration of exactly 0 while its shadow, which the backend holds, is still in flight.
     */
    @Test
    void aSlowShadowAddsNoLatencyToThePrimary() throws Exception {
        VirtualTime time = VirtualTime.create();
        CountDownLatch release = new CountDownLatch(1);
        try (TestBackend primary = TestBackend.named("primary");
             RawUpstream slow = RawUpstream.start(conn -> {
                 while (conn.read() != null) {
                     try { release.await(10, TimeUnit.SECONDS); } catch (InterruptedException e) { return; }
                     conn.write(RawUpstream.ok("late"));
                 }
             });
             MeshProxy mirroring = MeshProxy.builder().virtualTime(time).config(config(primary, slow.port(), true)).start();
             RawHttp c = new RawHttp(mirroring.port())) {
            for (int i = 0; i < 5; i++) {
                RawHttp.Response r = c.send("POST", "reviews:9080", "/", "payload");
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.body()).isEqualTo("primary");
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> slow.requests().size() >= 1);
            assertThat(mirroring.shadowsInFlight()).as("shadows the backend holds").isEqualTo(5);
            assertThat(mirroring.journal().shadows().all()).isEmpty();
            assertThat(mirroring.journal().exchanges()).hasSize(5).allSatisfy(e -> {
                assertThat(e.status()).isEqualTo(200);
                assertThat(e.durationMs()).isZero();
            });
            time.advance(Duration.ofSeconds(5));
            release.countDown();
            await().atMost(Duration.ofSeconds(10)).until(() -> mirroring.journal().shadows().all().size() == 5);
            assertThat(mirroring.journal().shadows().all()).allSatisfy(shadow -> {
                assertThat(shadow.status()).isEqualTo(200);
                assertThat(shadow.durationMs()).isEqualTo(5_000.0);
            });
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
             RefusingPort refusing = new RefusingPort();
             MeshProxy refused = MeshProxy.builder().config(config(primary, refusing.port(), true)).start()) {
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
        VirtualTime time = VirtualTime.create();
        try (TestBackend primary = TestBackend.named("primary");
             TestBackend slow = TestBackend.scripted("slow", n -> TestBackend.Reply.ok("late").delayed(30_000));
             MeshProxy proxy = MeshProxy.builder().virtualTime(time).config(config(primary, slow.port(), true))
                     .mirrorLimits(1024, 2, Duration.ofSeconds(1)).start();
             RawHttp c = new RawHttp(proxy.port())) {
            for (int i = 0; i < 5; i++) assertThat(c.send("GET", "reviews:9080", "/", null).status()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> proxy.journal().shadows().all().size() == 3
                    && time.pendingTimers() == 2);
            assertThat(proxy.journal().shadows().all()).allSatisfy(s -> assertThat(s.flags()).containsExactly(ResponseFlag.UO));
            time.advance(Duration.ofSeconds(1));
            await().atMost(Duration.ofSeconds(10)).until(() -> proxy.shadowsInFlight() == 0);
            List<ShadowExchange> shadows = proxy.journal().shadows().all();
            assertThat(shadows).hasSize(5);
            assertThat(shadows).filteredOn(s -> s.flags().contains(ResponseFlag.UO)).hasSize(3);
            assertThat(shadows).filteredOn(s -> s.flags().contains(ResponseFlag.UT)).hasSize(2)
                    .allSatisfy(s -> {
                        assertThat(s.note()).isEqualTo("shadow timeout");
                        assertThat(s.durationMs()).isEqualTo(1_000.0);
                    });
        }
    }
}
