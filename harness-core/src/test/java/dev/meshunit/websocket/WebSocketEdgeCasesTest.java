package dev.meshunit.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshunit.MeshProxy;
import dev.meshunit.journal.Connection;
import dev.meshunit.journal.Exchange;
import dev.meshunit.journal.ResponseFlag;
import dev.meshunit.config.load.ConfigLoader;
import dev.meshunit.testing.H2Backend;
import dev.meshunit.testing.Journals;
import dev.meshunit.testing.NoLeaks;
import dev.meshunit.testing.OneService;
import dev.meshunit.testing.RawHttp;
import dev.meshunit.testing.RawUpstream;
import dev.meshunit.testing.Stall;
import dev.meshunit.testing.WebSocketEcho;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A WebSocket tunnel's back-pressure and connection slot, an upgrade to an HTTP/2 port, and an upstream that
 * switches protocols unasked (503 UPE, as any answer that is no HTTP the request asked for).
 */
@ExtendWith(NoLeaks.class)
class WebSocketEdgeCasesTest {
    @Test
    void aClientThatStopsReadingStopsTheProxyReadingFromTheServer() throws Exception {
        int frames = 1500; // 90 MB
        long total = (long) frames * WebSocketEcho.FLOOD_FRAME;
        try (WebSocketEcho v1 = WebSocketEcho.named("v1");
             MeshProxy proxy = MeshProxy.builder().config(WebSocketPassthroughTest.oneRoute(v1))
                     .listenerPerService(true).start()) {
            WsClient client = new WsClient();
            WebSocket ws = client.open(proxy.serviceAddress("chat").getPort(), "/flood").get(20, TimeUnit.SECONDS);
            client.pause();
            ws.sendText("flood:" + frames, true).get(10, TimeUnit.SECONDS);
            Stall.await(v1::flooded, Duration.ofSeconds(60));
            // Only socket buffers and one read's worth sit between a client that does not read and the server
            // (about 10 MB here; the kernel may grow a receive buffer up to 32 MiB while it is read fast, and the
            // JDK client reads ahead a little): far from the 90 MB a proxy without back-pressure would take.
            assertThat(v1.flooded()).as("bytes the server got rid of while the client did not read")
                    .isLessThan(40L * 1024 * 1024);
            client.resume();
            await().atMost(Duration.ofSeconds(60)).until(() -> client.binaryBytes.get() == total);
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "").get(10, TimeUnit.SECONDS);
            client.closed.get(10, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(10)).until(() -> proxy.journal().connections().all().size() == 1);
            Connection tunnel = proxy.journal().connections().all().get(0);
            // Each frame: 4 bytes of header (a 16-bit length), then the payload; then the server's close (4 bytes).
            assertThat(tunnel.bytesToClient()).isEqualTo(total + 4L * frames + 4);
        }
    }

    @Test
    void anOpenTunnelHoldsItsConnectionSlotSoTheNextUpgradeWaitsForIt() throws Exception {
        try (WebSocketEcho v1 = WebSocketEcho.named("v1");
             MeshProxy proxy = MeshProxy.builder().config(WebSocketPassthroughTest.config(
                     "  - route: [{destination: {host: chat}}]\n",
                     "  trafficPolicy: {connectionPool: {tcp: {maxConnections: 1}}}\n", v1))
                     .listenerPerService(true).start()) {
            int port = proxy.serviceAddress("chat").getPort();
            WsClient first = new WsClient();
            WebSocket one = first.open(port, "/one").get(20, TimeUnit.SECONDS);
            WsClient second = new WsClient();
            CompletableFuture<WebSocket> two = second.open(port, "/two");
            // Lower bound only: while the first tunnel is open the second upgrade has no connection to go on.
            Thread.sleep(500);
            assertThat(two).isNotDone();
            assertThat(v1.handshakes()).hasSize(1);
            one.sendClose(WebSocket.NORMAL_CLOSURE, "").get(10, TimeUnit.SECONDS);
            first.closed.get(10, TimeUnit.SECONDS);
            WebSocket ws = two.get(20, TimeUnit.SECONDS);
            ws.sendText("now", true).get(10, TimeUnit.SECONDS);
            assertThat(second.next()).isEqualTo("v1:now");
            ws.abort();
        }
    }

    @Test
    void anUpgradeToAnHttp2PortGoesAsAPlainRequestAndItsAnswerComesBack() throws Exception {
        try (H2Backend h2 = new H2Backend();
             MeshProxy proxy = MeshProxy.builder().config(ConfigLoader.create()
                     .withPlaceholders(java.util.Map.of("port", Integer.toString(h2.port()))::get)
                     .loadString("h2.yaml", WebSocketPassthroughTest.serviceEntry("HTTP2",
                             "  - {address: 127.0.0.1, ports: {http: \"${port}\"}}\n")).orThrow())
                     .listenerPerService(true).start()) {
            // HTTP/2 has no Upgrade (its hop-by-hop headers are dropped): the server answers a plain GET, which is
            // no 101, so the client's handshake fails with that answer and nothing becomes a tunnel.
            CompletableFuture<WebSocket> opening = new WsClient().open(proxy.serviceAddress("chat").getPort(), "/h2");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> opening.get(20, TimeUnit.SECONDS)).cause()
                    .isInstanceOfSatisfying(java.net.http.WebSocketHandshakeException.class,
                            e -> assertThat(e.getResponse().statusCode()).isEqualTo(200));
            assertThat(h2.protocols()).containsExactly("HTTP/2");
            assertThat(Journals.awaitExchange(proxy, "/h2").status()).isEqualTo(200);
            assertThat(proxy.journal().connections().all()).isEmpty();
        }
    }

    @Test
    void aSwitchOfProtocolsNobodyAskedForIsAnUpstreamProtocolError() {
        try (RawUpstream up = RawUpstream.answering(r ->
                     "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n");
             MeshProxy proxy = MeshProxy.builder().config(OneService.config(up.port())).start();
             RawHttp client = new RawHttp(proxy.port())) {
            assertThat(client.send("GET", OneService.AUTHORITY, "/plain", null).status()).isEqualTo(503);
            Exchange e = Journals.awaitExchange(proxy, "/plain");
            assertThat(e.flags()).contains(ResponseFlag.UPE);
            assertThat(proxy.journal().connections().all()).isEmpty();
            // The client's connection serves on.
            assertThat(client.send("GET", OneService.AUTHORITY, "/again", null).status()).isEqualTo(503);
        }
    }
}
