package dev.meshunit.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.meshunit.MeshProxy;
import dev.meshunit.VirtualTime;
import dev.meshunit.config.IstioConfig;
import dev.meshunit.config.load.ConfigLoader;
import dev.meshunit.journal.Connection;
import dev.meshunit.journal.Exchange;
import dev.meshunit.journal.ResponseFlag;
import dev.meshunit.testing.NoLeaks;
import dev.meshunit.testing.RawHttp;
import dev.meshunit.testing.WebSocketEcho;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * WebSocket through the proxy as Istio allows it by default: the JDK's WebSocket client against a real
 * WebSocket server (Netty's), on the service's own listener. The upgrade request is routed, split, aborted and
 * delayed like any request; after the 101 the proxy is a byte pipe, journalled with the bytes each way.
 */
@ExtendWith(NoLeaks.class)
class WebSocketPassthroughTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    /** Service {@code chat:9080} over the given servers (labelled version=name), subsets per server; {@code http} the VS's http: rules. */
    static IstioConfig config(String http, WebSocketEcho... servers) {
        return config(http, "", servers);
    }

    /** @param policy lines of the DestinationRule's spec besides its subsets, e.g. a trafficPolicy */
    static IstioConfig config(String http, String policy, WebSocketEcho... servers) {
        StringBuilder endpoints = new StringBuilder();
        StringBuilder subsets = new StringBuilder();
        Map<String, String> ports = new HashMap<>();
        for (WebSocketEcho s : servers) {
            endpoints.append("  - {address: 127.0.0.1, ports: {http: \"${").append(s.name()).append("}\"}, labels: {version: ")
                    .append(s.name()).append("}}\n");
            subsets.append("  - {name: ").append(s.name()).append(", labels: {version: ").append(s.name()).append("}}\n");
            ports.put(s.name(), Integer.toString(s.port()));
        }
        return ConfigLoader.create().withPlaceholders(ports::get).loadString("ws.yaml", serviceEntry("HTTP", endpoints)
                + """
                ---
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: chat}
                spec:
                  host: chat
                """ + policy + """
                  subsets:
                """ + subsets + """
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: chat}
                spec:
                  hosts: [chat]
                  http:
                """ + http).orThrow();
    }

    static IstioConfig oneRoute(WebSocketEcho server) {
        return config("  - route: [{destination: {host: chat}}]\n", server);
    }

    /** Service {@code chat:9080} of {@code protocol} with the given endpoint lines. */
    static String serviceEntry(String protocol, CharSequence endpoints) {
        return """
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: chat}
                spec:
                  hosts: [chat]
                  location: MESH_INTERNAL
                  resolution: STATIC
                  ports: [{number: 9080, name: http, protocol: %s}]
                  endpoints:
                """.formatted(protocol) + endpoints;
    }

    private static MeshProxy.Builder proxy(IstioConfig config) {
        return MeshProxy.builder().config(config).listenerPerService(true).seed(7);
    }

    private static int chat(MeshProxy proxy) {
        return proxy.serviceAddress("chat").getPort();
    }

    private static Connection awaitTunnel(MeshProxy proxy, long exchangeId) {
        await().atMost(WAIT).until(() -> proxy.journal().connections().all().stream()
                .anyMatch(c -> Long.valueOf(exchangeId).equals(c.exchangeId())));
        return proxy.journal().connections().all().stream()
                .filter(c -> Long.valueOf(exchangeId).equals(c.exchangeId())).findFirst().orElseThrow();
    }

    private static Exchange only(MeshProxy proxy, String path) {
        await().atMost(WAIT).until(() -> !proxy.journal().select(e -> e.path().equals(path)).isEmpty());
        List<Exchange> found = proxy.journal().select(e -> e.path().equals(path));
        assertThat(found).hasSize(1);
        return found.get(0);
    }

    @Test
    void messagesPassBothWaysAndTheJournalCountsTheFramesBytesEachWay() throws Exception {
        try (WebSocketEcho v1 = WebSocketEcho.named("v1");
             MeshProxy proxy = proxy(config("  - route: [{destination: {host: chat, subset: v1}}]\n", v1)).start()) {
            WsClient client = new WsClient();
            WebSocket ws = client.open(chat(proxy), "/room?x=1").get(20, TimeUnit.SECONDS);
            List<String> sent = List.of("hello", "a".repeat(100), "third message");
            for (String m : sent) {
                ws.sendText(m, true).get(10, TimeUnit.SECONDS);
                assertThat(client.next()).isEqualTo("v1:" + m);
            }
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "").get(10, TimeUnit.SECONDS);
            assertThat(client.closed.get(10, TimeUnit.SECONDS)).isEqualTo(1000);

            Exchange upgrade = only(proxy, "/room?x=1");
            assertThat(upgrade.status()).isEqualTo(101);
            assertThat(upgrade.subset()).isEqualTo("v1");
            assertThat(upgrade.attempts()).hasSize(1);
            assertThat(upgrade.requestHeader("upgrade")).isEqualToIgnoringCase("websocket");
            Connection tunnel = awaitTunnel(proxy, upgrade.id());
            assertThat(tunnel.webSocket()).isTrue();
            assertThat(tunnel.listener()).isEqualTo("chat:9080");
            assertThat(tunnel.subset()).isEqualTo("v1");
            assertThat(tunnel.route().virtualService()).isEqualTo("chat");
            assertThat(tunnel.endpoint()).isEqualTo("127.0.0.1:" + v1.port());
            // RFC 6455 framing: the client masks (2 + 4 bytes of header), the server does not (2); texts under 126
            // bytes; the close handshake: 1000 with no reason each way (the server echoes the client's close).
            long fromClient = sent.stream().mapToLong(m -> 6 + m.length()).sum() + 8;
            long toClient = sent.stream().mapToLong(m -> 2 + ("v1:" + m).length()).sum() + 4;
            assertThat(tunnel.bytesFromClient()).isEqualTo(fromClient);
            assertThat(tunnel.bytesToClient()).isEqualTo(toClient);
            // After the close handshake both ends close their TCP connection at about the same time; which the
            // proxy sees first is a race (the one-sided cases are the tests below).
            assertThat(tunnel.endReason()).isIn(Connection.EndReason.UPSTREAM_CLOSE, Connection.EndReason.CLIENT_CLOSE);
            // The upgrade reached the server as an upgrade, with the route's authority.
            WebSocketEcho.Handshake h = v1.handshakes().get(0);
            assertThat(h.upgrade()).isEqualToIgnoringCase("websocket");
            assertThat(h.connection()).containsIgnoringCase("upgrade");
            assertThat(h.host()).isEqualTo("chat:9080");
        }
    }

    @Test
    void aServerThatTalksFirstAndAClientThatLeavesAreJournalledAsSuch() throws Exception {
        try (WebSocketEcho v1 = WebSocketEcho.named("v1");
             MeshProxy proxy = proxy(oneRoute(v1)).start()) {
            WsClient client = new WsClient();
            WebSocket ws = client.open(chat(proxy), "/greet").get(20, TimeUnit.SECONDS);
            assertThat(client.next()).isEqualTo("hello from v1");
            ws.abort(); // the client drops its TCP connection without a close handshake
            Connection tunnel = awaitTunnel(proxy, only(proxy, "/greet").id());
            assertThat(tunnel.endReason()).isEqualTo(Connection.EndReason.CLIENT_CLOSE);
            assertThat(tunnel.bytesToClient()).isEqualTo(2 + "hello from v1".length());
            assertThat(tunnel.bytesFromClient()).isZero();
        }
    }

    @Test
    void theServerDroppingTheConnectionEndsTheTunnelAndTheProxyServesHttpOnAfterwards() throws Exception {
        try (WebSocketEcho v1 = WebSocketEcho.named("v1");
             MeshProxy proxy = proxy(oneRoute(v1)).start()) {
            WsClient client = new WsClient();
            WebSocket ws = client.open(chat(proxy), "/bye").get(20, TimeUnit.SECONDS);
            ws.sendText("drop", true).get(10, TimeUnit.SECONDS);
            // No close frame: the JDK client reports 1006, the connection closed abnormally.
            assertThat(client.closed.get(10, TimeUnit.SECONDS)).isEqualTo(1006);
            Connection tunnel = awaitTunnel(proxy, only(proxy, "/bye").id());
            assertThat(tunnel.endReason()).isEqualTo(Connection.EndReason.UPSTREAM_CLOSE);
            assertThat(tunnel.bytesToClient()).isZero();
            // "drop", and maybe the client's own close frame (1000, 8 bytes) sent when it saw the end of input.
            assertThat(tunnel.bytesFromClient()).isIn(6L + "drop".length(), 6L + "drop".length() + 8);
            // A non-upgrade request to the same server is an ordinary exchange (its 400 comes from the server).
            try (RawHttp h1 = new RawHttp(chat(proxy))) {
                assertThat(h1.send("GET", "chat", "/plain", null).status()).isEqualTo(400);
            }
            assertThat(only(proxy, "/plain").status()).isEqualTo(400);
            assertThat(proxy.journal().connections().all()).hasSize(1);
        }
    }

    @Test
    void aWeightedSplitPicksTheServerPerUpgradeAndTheJournalAgreesWithWhoAnswered() throws Exception {
        try (WebSocketEcho v1 = WebSocketEcho.named("v1");
             WebSocketEcho v2 = WebSocketEcho.named("v2");
             MeshProxy proxy = proxy(config("""
                       - route:
                         - {destination: {host: chat, subset: v1}, weight: 70}
                         - {destination: {host: chat, subset: v2}, weight: 30}
                     """, v1, v2)).start()) {
            int n = 100;
            Map<String, String> answeredBy = new HashMap<>();
            for (int i = 0; i < n; i++) {
                WsClient client = new WsClient();
                WebSocket ws = client.open(chat(proxy), "/s/" + i).get(20, TimeUnit.SECONDS);
                ws.sendText("who", true).get(10, TimeUnit.SECONDS);
                answeredBy.put("/s/" + i, client.next().replace(":who", ""));
                ws.sendClose(WebSocket.NORMAL_CLOSURE, "").get(10, TimeUnit.SECONDS);
                client.closed.get(10, TimeUnit.SECONDS);
            }
            await().atMost(WAIT).until(() -> proxy.journal().connections().all().size() == n);
            List<Exchange> upgrades = proxy.journal().exchanges();
            assertThat(upgrades).hasSize(n).allSatisfy(e -> {
                assertThat(e.status()).isEqualTo(101);
                assertThat(e.subset()).isEqualTo(answeredBy.get(e.path()));
            });
            long toV2 = upgrades.stream().filter(e -> "v2".equals(e.subset())).count();
            // 100 draws at 30%: the mean is 30, the standard deviation 4.6; seeded, so this is one fixed outcome.
            assertThat(toV2).isBetween(16L, 44L);
            assertThat(v1.handshakes().size() + v2.handshakes().size()).isEqualTo(n);
            for (Connection c : proxy.journal().connections().all()) {
                Exchange e = upgrades.stream().filter(x -> x.id() == c.exchangeId()).findFirst().orElseThrow();
                assertThat(c.subset()).isEqualTo(e.subset());
            }
        }
    }

    @Test
    void anAbortAnswersTheUpgradeWithItsStatusAndNoServerSeesIt() throws Exception {
        try (WebSocketEcho v1 = WebSocketEcho.named("v1");
             MeshProxy proxy = proxy(config("""
                       - match: [{uri: {prefix: /denied}}]
                         fault: {abort: {httpStatus: 403, percentage: {value: 100}}}
                         route: [{destination: {host: chat}}]
                       - route: [{destination: {host: chat}}]
                     """, v1)).start()) {
            CompletableFuture<WebSocket> denied = new WsClient().open(chat(proxy), "/denied");
            assertThatThrownBy(() -> denied.get(20, TimeUnit.SECONDS)).cause()
                    .isInstanceOfSatisfying(WebSocketHandshakeException.class,
                            e -> assertThat(e.getResponse().statusCode()).isEqualTo(403));
            Exchange e = only(proxy, "/denied");
            assertThat(e.status()).isEqualTo(403);
            assertThat(e.flags()).contains(ResponseFlag.FI);
            assertThat(e.attempts()).isEmpty();
            assertThat(v1.handshakes()).isEmpty();
            // The next upgrade on another route goes through.
            WsClient client = new WsClient();
            WebSocket ws = client.open(chat(proxy), "/fine").get(20, TimeUnit.SECONDS);
            ws.sendText("ok", true).get(10, TimeUnit.SECONDS);
            assertThat(client.next()).isEqualTo("v1:ok");
            ws.abort();
            assertThat(proxy.journal().connections().all()).allSatisfy(c -> assertThat(c.exchangeId()).isNotNull());
        }
    }

    @Test
    void aServerThatRefusesTheUpgradeIsAnOrdinaryAnswer() {
        try (WebSocketEcho v1 = WebSocketEcho.named("v1");
             MeshProxy proxy = proxy(oneRoute(v1)).start()) {
            CompletableFuture<WebSocket> refused = new WsClient().open(chat(proxy), "/forbidden");
            assertThatThrownBy(() -> refused.get(20, TimeUnit.SECONDS)).cause()
                    .isInstanceOfSatisfying(WebSocketHandshakeException.class,
                            e -> assertThat(e.getResponse().statusCode()).isEqualTo(403));
            Exchange e = only(proxy, "/forbidden");
            assertThat(e.status()).isEqualTo(403);
            assertThat(e.attempts()).hasSize(1);
            assertThat(v1.handshakes()).hasSize(1);
            assertThat(proxy.journal().connections().all()).isEmpty();
        }
    }

    @Test
    void aDelayHoldsTheUpgradeOnVirtualTimeAndTheRouteTimeoutNeverCutsTheOpenTunnel() throws Exception {
        VirtualTime time = VirtualTime.create();
        try (WebSocketEcho v1 = WebSocketEcho.named("v1");
             MeshProxy proxy = proxy(config("""
                       - timeout: 1s
                         fault: {delay: {fixedDelay: 5s, percentage: {value: 100}}}
                         route: [{destination: {host: chat}}]
                     """, v1)).virtualTime(time).start()) {
            WsClient client = new WsClient();
            CompletableFuture<WebSocket> opening = client.open(chat(proxy), "/slow");
            time.awaitTimers(1, WAIT);
            time.advance(Duration.ofMillis(4999));
            assertThat(opening).isNotDone();
            assertThat(v1.handshakes()).isEmpty();
            time.advance(Duration.ofMillis(1));
            WebSocket ws = opening.get(20, TimeUnit.SECONDS);
            Exchange e = only(proxy, "/slow");
            assertThat(e.status()).isEqualTo(101);
            assertThat(e.fault()).isNotNull();
            assertThat(e.durationMs()).isEqualTo(5000.0);
            // Far past the route's 1 s: the tunnel is no request waiting for its answer.
            time.advance(Duration.ofMinutes(10));
            ws.sendText("still here", true).get(10, TimeUnit.SECONDS);
            assertThat(client.next()).isEqualTo("v1:still here");
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "").get(10, TimeUnit.SECONDS);
            client.closed.get(10, TimeUnit.SECONDS);
            assertThat(awaitTunnel(proxy, e.id()).durationMs()).isEqualTo(600_000.0);
        }
    }

    @Test
    void theRouteTimeoutBoundsTheWaitForTheUpgradeAnswer() throws Exception {
        VirtualTime time = VirtualTime.create();
        try (WebSocketEcho v1 = WebSocketEcho.named("v1");
             MeshProxy proxy = proxy(config("""
                       - timeout: 2s
                         route: [{destination: {host: chat}}]
                     """, v1)).virtualTime(time).start()) {
            CompletableFuture<WebSocket> hanging = new WsClient().open(chat(proxy), "/hang");
            await().atMost(WAIT).until(() -> v1.handshakes().size() == 1);
            time.awaitTimers(1, WAIT);
            time.advance(Duration.ofSeconds(2));
            assertThatThrownBy(() -> hanging.get(20, TimeUnit.SECONDS)).cause()
                    .isInstanceOfSatisfying(WebSocketHandshakeException.class,
                            e -> assertThat(e.getResponse().statusCode()).isEqualTo(504));
            Exchange e = only(proxy, "/hang");
            assertThat(e.flags()).contains(ResponseFlag.UT);
            assertThat(proxy.journal().connections().all()).isEmpty();
        }
    }
}
