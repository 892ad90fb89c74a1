package dev.meshunit.http2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshunit.MeshProxy;
import dev.meshunit.VirtualTime;
import dev.meshunit.config.IstioConfig;
import dev.meshunit.config.load.ConfigLoader;
import dev.meshunit.journal.ResponseFlag;
import dev.meshunit.testing.H2Backend;
import dev.meshunit.testing.LoopBarrier;
import dev.meshunit.testing.NoLeaks;
import dev.meshunit.testing.RawHttp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import okhttp3.Protocol;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * When the proxy speaks HTTP/2 to an endpoint, as Istio configures the cluster: {@code h2UpgradePolicy: UPGRADE} on
 * an HTTP port, {@code useClientProtocol}, and the HTTP/2 pool's limits ({@code maxConcurrentStreams},
 * {@code maxConnections} with the pending queue and 503 UO, {@code idleTimeout}); against a Netty server that
 * speaks both HTTP/1.1 and h2c on one port and reports what it got.
 */
@ExtendWith(NoLeaks.class)
class Http2UpstreamPolicyTest {
    /** The calls that wait for the backend run here (not in the common pool, which has one thread on two cores). */
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    /** Service {@code web:8080} of {@code protocol}, its endpoint at {@code ${port}}, and its DestinationRule. */
    static String web(String protocol, String trafficPolicy) {
        return """
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: web}
                spec:
                  hosts: [web]
                  location: MESH_INTERNAL
                  resolution: STATIC
                  ports: [{number: 8080, name: web, protocol: %s}]
                  endpoints:
                  - {address: 127.0.0.1, ports: {web: "${port}"}}
                ---
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: web}
                spec:
                  host: web
                  trafficPolicy: %s
                """.formatted(protocol, trafficPolicy);
    }

    static IstioConfig config(int port, String protocol, String http) {
        return ConfigLoader.create().withPlaceholders(Map.of("port", "" + port)::get)
                .loadString("h2.yaml", web(protocol, "{connectionPool: {http: " + http + "}}")).orThrow();
    }

    @Test
    void h2UpgradePolicyUpgradeSpeaksH2cToAnHttpPortWhateverTheClientSpeaks() throws Exception {
        try (H2Backend backend = new H2Backend();
             MeshProxy proxy = MeshProxy.builder().config(config(backend.port(), "HTTP", "{h2UpgradePolicy: UPGRADE}")).start()) {
            RawHttp.Response r = RawHttp.get(proxy.port(), "web:8080", "/one");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("HTTP/2 /one");
            assertThat(proxy.journal().exchanges().get(0).protocol()).as("the client's protocol").isEqualTo("HTTP/1.1");
        }
    }

    @Test
    void withoutUpgradeAnHttpPortGetsHttp11EvenFromAnHttp2Client() throws Exception {
        try (H2Backend backend = new H2Backend();
             MeshProxy proxy = MeshProxy.builder().config(config(backend.port(), "HTTP", "{h2UpgradePolicy: DO_NOT_UPGRADE}")).start();
             H2Clients h2 = new H2Clients(proxy.port())) {
            H2Clients.Answer a = h2.call(h2.to("web:8080", "/two").build(), "x-protocol");
            assertThat(a.protocol()).isEqualTo(Protocol.H2_PRIOR_KNOWLEDGE);
            assertThat(a.header()).isEqualTo("HTTP/1.1");
        }
    }

    @Test
    void useClientProtocolSpeaksWhatTheClientSpoke() throws Exception {
        try (H2Backend backend = new H2Backend();
             MeshProxy proxy = MeshProxy.builder().config(config(backend.port(), "HTTP", "{useClientProtocol: true}")).start();
             H2Clients h2 = new H2Clients(proxy.port())) {
            assertThat(RawHttp.get(proxy.port(), "web:8080", "/h1").body()).isEqualTo("HTTP/1.1 /h1");
            assertThat(h2.call(h2.to("web:8080", "/h2").build(), "x-protocol").body()).isEqualTo("HTTP/2 /h2");
            assertThat(backend.protocols()).containsExactly("HTTP/1.1", "HTTP/2");
        }
    }

    @Test
    void useClientProtocolOnAnHttp2PortGivesAnHttp11ClientHttp11() throws Exception {
        try (H2Backend backend = new H2Backend();
             MeshProxy proxy = MeshProxy.builder().config(config(backend.port(), "HTTP2", "{useClientProtocol: true}")).start()) {
            assertThat(RawHttp.get(proxy.port(), "web:8080", "/h1").body()).isEqualTo("HTTP/1.1 /h1");
        }
    }

    @Test
    void maxConcurrentStreamsOpensAnotherConnectionForMoreStreams() throws Exception {
        try (H2Backend backend = new H2Backend();
             MeshProxy proxy = MeshProxy.builder().config(config(backend.port(), "HTTP2", "{maxConcurrentStreams: 2}")).start();
             H2Clients h2 = new H2Clients(proxy.port())) {
            List<CompletableFuture<H2Clients.Answer>> calls = held(h2, 5);
            await().atMost(Duration.ofSeconds(10)).until(() -> backend.inFlight() == 5);
            backend.release();
            for (var c : calls) assertThat(c.join().status()).isEqualTo(200);
            assertThat(backend.connections()).as("5 streams, 2 per connection").isEqualTo(3);
        }
    }

    @Test
    void theServersOwnMaxConcurrentStreamsIsRespected() throws Exception {
        try (H2Backend backend = new H2Backend(null, 1);
             MeshProxy proxy = MeshProxy.builder().config(config(backend.port(), "HTTP2", "{}")).start();
             H2Clients h2 = new H2Clients(proxy.port())) {
            h2.get("web:8080", "/warm"); // the first connection learns the server's SETTINGS
            List<CompletableFuture<H2Clients.Answer>> calls = held(h2, 3);
            await().atMost(Duration.ofSeconds(10)).until(() -> backend.inFlight() == 3);
            backend.release();
            for (var c : calls) assertThat(c.join().status()).isEqualTo(200);
            assertThat(backend.connections()).isEqualTo(3);
        }
    }

    /** One connection of one stream at a time, and one request that may wait for it. */
    static final String ONE_STREAM_ONE_PENDING = "{maxConcurrentStreams: 1, http1MaxPendingRequests: 1}, tcp: {maxConnections: 1}";

    /** A first request that the backend holds, once it has it. */
    private CompletableFuture<H2Clients.Answer> heldOne(H2Clients h2, H2Backend backend) {
        CompletableFuture<H2Clients.Answer> first = CompletableFuture.supplyAsync(() -> h2.get("web:8080", "/hold/1"), threads);
        await().atMost(Duration.ofSeconds(10)).until(() -> backend.inFlight() == 1);
        return first;
    }

    @Test
    void streamsBeyondOneConnectionWaitAsPendingAndOverflowWithUo() throws Exception {
        try (H2Backend backend = new H2Backend();
             MeshProxy proxy = MeshProxy.builder().config(config(backend.port(), "HTTP2", ONE_STREAM_ONE_PENDING)).start();
             H2Clients h2 = new H2Clients(proxy.port())) {
            CompletableFuture<H2Clients.Answer> first = heldOne(h2, backend);
            CompletableFuture<H2Clients.Answer> second = CompletableFuture.supplyAsync(() -> h2.get("web:8080", "/hold/2"), threads);
            await().atMost(Duration.ofSeconds(10)).until(() -> proxy.clusterStats().get(0).breakers().pendingRequests() == 1);
            H2Clients.Answer third = h2.get("web:8080", "/hold/3");
            assertThat(third.status()).isEqualTo(503);
            backend.release();
            assertThat(first.join().status()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> backend.inFlight() == 1);
            backend.release();
            assertThat(second.join().body()).isEqualTo("HTTP/2 /hold/2");
            assertThat(backend.connections()).isEqualTo(1);
            assertThat(backend.maxInFlight()).isEqualTo(1);
            await().atMost(Duration.ofSeconds(10)).until(() -> proxy.journal().exchanges().size() == 3);
            assertThat(proxy.journal().exchanges()).filteredOn(e -> e.hasFlag(ResponseFlag.UO)).singleElement()
                    .satisfies(e -> assertThat(e.path()).isEqualTo("/hold/3"));
            assertThat(proxy.clusterStats().get(0).breakers().pendingOverflows()).isEqualTo(1);
        }
    }

    @Test
    void aPendingRequestThatTimesOutGivesItsPendingSlotBack() throws Exception {
        try (H2Backend backend = new H2Backend();
             MeshProxy proxy = MeshProxy.builder().config(config(backend.port(), "HTTP2", ONE_STREAM_ONE_PENDING)).start();
             H2Clients h2 = new H2Clients(proxy.port())) {
            CompletableFuture<H2Clients.Answer> first = heldOne(h2, backend);
            // Waits as pending, then its route timeout (Envoy's header) ends it: 504 UT.
            H2Clients.Answer timedOut = h2.call(h2.to("web:8080", "/hold/2")
                    .header("x-envoy-upstream-rq-timeout-ms", "200").build(), "x-protocol");
            assertThat(timedOut.status()).isEqualTo(504);
            assertThat(proxy.clusterStats().get(0).breakers().pendingRequests()).as("slot given back").isZero();
            CompletableFuture<H2Clients.Answer> third = CompletableFuture.supplyAsync(() -> h2.get("web:8080", "/hold/3"), threads);
            await().atMost(Duration.ofSeconds(10)).until(() -> proxy.clusterStats().get(0).breakers().pendingRequests() == 1);
            backend.release();
            assertThat(first.join().status()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> backend.inFlight() == 1);
            backend.release();
            assertThat(third.join().body()).isEqualTo("HTTP/2 /hold/3");
            assertThat(proxy.clusterStats().get(0).breakers().pendingOverflows()).isZero();
        }
    }

    @Test
    void idleTimeoutClosesAnHttp2ConnectionWithoutStreams() throws Exception {
        VirtualTime time = VirtualTime.create();
        try (H2Backend backend = new H2Backend();
             MeshProxy proxy = MeshProxy.builder().virtualTime(time)
                     .config(config(backend.port(), "HTTP2", "{idleTimeout: 30s}")).start()) {
            assertThat(RawHttp.get(proxy.port(), "web:8080", "/a").status()).isEqualTo(200);
            time.awaitTimers(1, Duration.ofSeconds(10));
            time.advance(Duration.ofSeconds(29));
            assertThat(backend.openConnections()).isEqualTo(1);
            time.advance(Duration.ofSeconds(1));
            await().atMost(Duration.ofSeconds(10)).until(() -> backend.openConnections() == 0);
            assertThat(RawHttp.get(proxy.port(), "web:8080", "/b").status()).isEqualTo(200);
            assertThat(backend.connections()).isEqualTo(2);
        }
    }

    @Test
    void aReusedHttp2ConnectionIsClosedTheIdleTimeoutAfterItsLastStream() throws Exception {
        VirtualTime time = VirtualTime.create();
        try (H2Backend backend = new H2Backend();
             MeshProxy proxy = MeshProxy.builder().virtualTime(time).ioThreads(1)
                     .config(config(backend.port(), "HTTP2", "{idleTimeout: 30s}")).start()) {
            assertThat(RawHttp.get(proxy.port(), "web:8080", "/a").status()).isEqualTo(200);
            time.awaitTimers(1, Duration.ofSeconds(10));
            time.advance(Duration.ofSeconds(10));
            assertThat(RawHttp.get(proxy.port(), "web:8080", "/b").status()).isEqualTo(200);
            LoopBarrier.pass(proxy); // its stream ended, re-arming the idle timer without scheduling
            assertThat(backend.connections()).isEqualTo(1);
            assertThat(time.pendingTimers()).as("no second timer").isOne();
            time.advance(Duration.ofMillis(29_999)); // the fire at 30 s set the remainder
            assertThat(backend.openConnections()).isEqualTo(1);
            assertThat(time.nextTimerIn()).isEqualTo(Duration.ofMillis(1));
            time.advance(Duration.ofMillis(1));
            await().atMost(Duration.ofSeconds(10)).until(() -> backend.openConnections() == 0);
        }
    }

    private List<CompletableFuture<H2Clients.Answer>> held(H2Clients h2, int n) {
        List<CompletableFuture<H2Clients.Answer>> calls = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String path = "/hold/" + i;
            calls.add(CompletableFuture.supplyAsync(() -> h2.get("web:8080", path), threads));
        }
        return calls;
    }
}
