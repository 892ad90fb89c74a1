package dev.meshunit.chaos.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.meshunit.MeshProxy;
import dev.meshunit.VirtualTime;
import dev.meshunit.chaos.Direction;
import dev.meshunit.chaos.NettyLeakCheck;
import dev.meshunit.chaos.SidecarToxics;
import dev.meshunit.chaos.TcpConnectionRecord;
import dev.meshunit.chaos.Toxic;
import dev.meshunit.chaos.ToxicSpec;
import dev.meshunit.config.IstioConfig;
import dev.meshunit.journal.Exchange;
import dev.meshunit.journal.ResponseFlag;
import dev.meshunit.testing.Async;
import dev.meshunit.testing.Configs;
import dev.meshunit.tcp.TcpConfigs;
import dev.meshunit.testing.TcpClient;
import dev.meshunit.testing.TcpEcho;
import dev.meshunit.testing.TestBackend;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * TCP toxics between the sidecar and one service: two services, a toxic on one, and the other's calls untouched.
 * Virtual time: the toxic's delay runs on the sidecar's scheduler, so durations are exact, however busy the machine.
 */
@ExtendWith(NettyLeakCheck.class)
class SidecarToxicsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private final TestBackend ratings = TestBackend.named("ratings");
    private final TestBackend reviews = TestBackend.named("reviews");
    private final TestBackend reviewsV2 = TestBackend.named("v2");
    private final VirtualTime time = VirtualTime.create();

    @AfterEach
    void stopBackends() {
        ratings.close();
        reviews.close();
        reviewsV2.close();
    }

    @Test
    void aLatencyToxicOnRatingsDelaysRatingsOnlyByExactlyItsLatency() throws Exception {
        IstioConfig config = config();
        try (SidecarToxics toxics = SidecarToxics.builder().config(config).virtualTime(time).seed(7).build();
             MeshProxy proxy = MeshProxy.builder().config(config).virtualTime(time).upstreamVia(toxics).start()) {
            toxics.add("ratings", ToxicSpec.of(Direction.DOWNSTREAM, new Toxic.Latency(300, 0)));
            HttpClient client = client(proxy);

            assertThat(client.send(get("reviews", "/before"), BodyHandlers.ofString()).body()).isEqualTo("reviews");
            CompletableFuture<HttpResponse<String>> slow = client.sendAsync(get("ratings", "/slow"), BodyHandlers.ofString());
            awaitTimerDueIn(Duration.ofMillis(300));
            assertThat(client.send(get("reviews", "/during"), BodyHandlers.ofString()).body())
                    .as("reviews answers while ratings' answer is held").isEqualTo("reviews");
            time.advance(Duration.ofMillis(299));
            assertThat(slow).isNotDone();
            time.advance(Duration.ofMillis(1));
            assertThat(slow.get(10, TimeUnit.SECONDS).body()).isEqualTo("ratings");

            assertThat(exchange(proxy, "/slow").durationMs()).isEqualTo(300.0);
            assertThat(exchange(proxy, "/slow").attempts().get(0).endpoint()).isEqualTo("127.0.0.1:" + ratings.port());
            assertThat(exchange(proxy, "/before").durationMs()).isEqualTo(0.0);
            assertThat(exchange(proxy, "/during").durationMs()).isEqualTo(0.0);
            assertThat(toxics.connections("ratings")).isNotEmpty()
                    .allSatisfy(c -> assertThat(c.toxicsApplied()).containsExactly("latency_downstream(latency,downstream)"));
            assertThat(toxics.connections("reviews")).isNotEmpty()
                    .allSatisfy(c -> assertThat(c.toxicsApplied()).isEmpty());
            assertThat(toxics.connections("ratings")).extracting(TcpConnectionRecord::proxy)
                    .containsOnly("ratings.default.svc.cluster.local/127.0.0.1:" + ratings.port());
        }
    }

    @Test
    void aToxicAddedLaterReachesTheLivePooledConnectionAndGoesAwayWhenRemoved() throws Exception {
        IstioConfig config = config();
        try (SidecarToxics toxics = SidecarToxics.builder().config(config).virtualTime(time).build();
             MeshProxy proxy = MeshProxy.builder().config(config).virtualTime(time).upstreamVia(toxics).start()) {
            HttpClient client = client(proxy);
            client.send(get("ratings", "/warm"), BodyHandlers.ofString());
            toxics.add("ratings", ToxicSpec.of(Direction.UPSTREAM, new Toxic.Latency(120, 0)));
            CompletableFuture<HttpResponse<String>> slow = client.sendAsync(get("ratings", "/late"), BodyHandlers.ofString());
            awaitTimerDueIn(Duration.ofMillis(120));
            assertThat(ratings.received()).extracting(TestBackend.Received::path).containsExactly("/warm");
            time.advance(Duration.ofMillis(120));
            assertThat(slow.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            assertThat(exchange(proxy, "/late").durationMs()).isEqualTo(120.0);
            assertThat(toxics.connections("ratings")).as("one pooled connection, the toxic spliced into it").hasSize(1);

            toxics.remove("ratings", "latency_upstream");
            assertThat(toxics.toxics("ratings")).isEmpty();
            assertThat(client.send(get("ratings", "/after"), BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            assertThat(exchange(proxy, "/after").durationMs()).isEqualTo(0.0);
        }
    }

    @Test
    void aToxicOnOneSubsetLeavesTheOtherSubsetOfTheSameServiceAlone() throws Exception {
        IstioConfig config = config();
        try (SidecarToxics toxics = SidecarToxics.builder().config(config).virtualTime(time).build();
             MeshProxy proxy = MeshProxy.builder().config(config).virtualTime(time).upstreamVia(toxics).start()) {
            toxics.add("reviews", "v2", new ToxicSpec("slow-v2", Direction.DOWNSTREAM, 1f, new Toxic.Latency(50, 0)));
            HttpClient client = client(proxy);
            assertThat(client.send(get("reviews", "/v1"), BodyHandlers.ofString()).body()).isEqualTo("reviews");
            CompletableFuture<HttpResponse<String>> v2 = client.sendAsync(
                    HttpRequest.newBuilder(URI.create("http://reviews:9080/v2")).header("end-user", "jason").build(),
                    BodyHandlers.ofString());
            awaitTimerDueIn(Duration.ofMillis(50));
            time.advance(Duration.ofMillis(50));
            assertThat(v2.get(10, TimeUnit.SECONDS).body()).isEqualTo("v2");
            assertThat(exchange(proxy, "/v1").durationMs()).isEqualTo(0.0);
            assertThat(exchange(proxy, "/v2").durationMs()).isEqualTo(50.0);
            assertThat(exchange(proxy, "/v2").destination().subset()).isEqualTo("v2");
        }
    }

    @Test
    void aResetPeerToxicOnRatingsResetsItsConnectionsAndTheClientGets503() throws Exception {
        IstioConfig config = config();
        try (SidecarToxics toxics = SidecarToxics.builder().config(config).build();
             MeshProxy proxy = MeshProxy.builder().config(config).upstreamVia(toxics).start()) {
            toxics.add("ratings", ToxicSpec.of(Direction.UPSTREAM, new Toxic.ResetPeer(0)));
            HttpClient client = client(proxy);
            HttpResponse<String> reset = client.send(get("ratings", "/reset"), BodyHandlers.ofString());
            assertThat(reset.statusCode()).isEqualTo(503);
            assertThat(exchange(proxy, "/reset").flags()).contains(ResponseFlag.UC);
            assertThat(ratings.received()).isEmpty();
            assertThat(client.send(get("reviews", "/fine"), BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aLatencyToxicUnderATcpRouteHoldsTheEchoForExactlyItsLatency() throws Exception {
        try (TcpEcho echo = new TcpEcho("v1")) {
            IstioConfig config = TcpConfigs.load(TcpConfigs.echoService("TCP", "", "v1"), Map.of("v1", echo.port()));
            try (SidecarToxics toxics = SidecarToxics.builder().config(config).virtualTime(time).build();
                 MeshProxy proxy = MeshProxy.builder().config(config).virtualTime(time).upstreamVia(toxics).start();
                 Socket socket = TcpClient.connect(proxy.serviceAddress("echo:9000"))) {
                toxics.add("echo", ToxicSpec.of(Direction.DOWNSTREAM, new Toxic.Latency(200, 0)));
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
                socket.getOutputStream().write("hello\n".getBytes(StandardCharsets.UTF_8));
                CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
                    try {
                        return in.readLine();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }, Async.THREAD_PER_TASK);
                awaitTimerDueIn(Duration.ofMillis(200));
                time.advance(Duration.ofMillis(199));
                assertThat(line).isNotDone();
                time.advance(Duration.ofMillis(1));
                assertThat(line.get(10, TimeUnit.SECONDS)).isEqualTo("v1 hello");
                assertThat(toxics.connections("echo")).singleElement()
                        .satisfies(c -> assertThat(c.toxicsApplied()).containsExactly("latency_downstream(latency,downstream)"));
            }
        }
    }

    @Test
    void aHostOrSubsetTheConfigDoesNotDeclareIsAnErrorNamingTheNearest() {
        IstioConfig config = config();
        try (SidecarToxics toxics = SidecarToxics.builder().config(config).build()) {
            ToxicSpec latency = ToxicSpec.of(Direction.DOWNSTREAM, new Toxic.Latency(1, 0));
            assertThatThrownBy(() -> toxics.add("ratngs", latency)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("toxic: no host \"ratngs\"").hasMessageContaining("did you mean ratings?");
            assertThatThrownBy(() -> toxics.add("reviews", "v3", latency)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("no subset \"v3\"").hasMessageContaining("declared: v1, v2");
            assertThat(toxics.toxics("ratings")).isEmpty();
        }
    }

    private IstioConfig config() {
        return Configs.yaml(Configs.serviceEntry("ratings", ratings)
                + Configs.serviceEntry("reviews", reviews, reviewsV2).replace("version: reviews", "version: v1")
                + Configs.subsets("reviews", "v1", "v2") + """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: reviews}
                spec:
                  hosts: [reviews]
                  http:
                  - match: [{headers: {end-user: {exact: jason}}}]
                    route: [{destination: {host: reviews, subset: v2}}]
                  - route: [{destination: {host: reviews, subset: v1}}]
                """, ratings, reviews, reviewsV2);
    }

    private void awaitTimerDueIn(Duration due) {
        await().atMost(WAIT).until(() -> due.equals(time.nextTimerIn()));
    }

    private static HttpClient client(MeshProxy proxy) {
        return HttpClient.newBuilder().proxy(ProxySelector.of(proxy.address())).build();
    }

    private static HttpRequest get(String host, String path) {
        return HttpRequest.newBuilder(URI.create("http://" + host + ":9080" + path)).build();
    }

    private static Exchange exchange(MeshProxy proxy, String path) {
        await().atMost(WAIT).until(() -> !proxy.journal().select(e -> e.path().equals(path)).isEmpty());
        List<Exchange> found = proxy.journal().select(e -> e.path().equals(path));
        assertThat(found).hasSize(1);
        return found.get(0);
    }
}
