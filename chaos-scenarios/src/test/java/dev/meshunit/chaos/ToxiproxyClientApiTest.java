package dev.meshunit.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import eu.rekawek.toxiproxy.model.Toxic;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import eu.rekawek.toxiproxy.model.toxic.Bandwidth;
import eu.rekawek.toxiproxy.model.toxic.Latency;
import eu.rekawek.toxiproxy.model.toxic.LimitData;
import eu.rekawek.toxiproxy.model.toxic.ResetPeer;
import eu.rekawek.toxiproxy.model.toxic.Slicer;
import eu.rekawek.toxiproxy.model.toxic.SlowClose;
import eu.rekawek.toxiproxy.model.toxic.Timeout;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The unmodified toxiproxy-java 2.1.7 client drives our API (toxiproxy-java's own test logic, re-done). */
@ExtendWith(NettyLeakCheck.class)
class ToxiproxyClientApiTest {
    private ToxicProxyServer proxies;
    private ToxiproxyApiServer api;
    private ToxiproxyClient client;
    private TestServers.Upstream upstream;

    @BeforeEach
    void start() {
        proxies = ToxicProxyServer.builder().seed(42).build();
        api = ToxiproxyApiServer.start(new InetSocketAddress("127.0.0.1", 0), proxies);
        client = new ToxiproxyClient("127.0.0.1", api.port());
        upstream = TestServers.echo();
    }

    @AfterEach
    void stop() throws IOException {
        api.close();
        proxies.close();
        upstream.close();
    }

    @Test
    void createsGetsAndListsProxiesSortedByName() throws IOException {
        Proxy created = client.createProxy("test-proxy1", "127.0.0.1:0", upstream.address());
        client.createProxy("test-proxy2", "localhost:0", upstream.address());
        client.createProxy("test-proxy0", "127.0.0.1:0", upstream.address());

        assertThat(created.getName()).isEqualTo("test-proxy1");
        assertThat(created.getListen()).matches("127\\.0\\.0\\.1:\\d+").isNotEqualTo("127.0.0.1:0");
        assertThat(created.getUpstream()).isEqualTo(upstream.address());
        assertThat(created.isEnabled()).isTrue();
        assertThat(client.getProxy("test-proxy2").getListen()).startsWith("127.0.0.1:");
        assertThat(client.getProxies()).extracting(Proxy::getName)
                .containsExactly("test-proxy0", "test-proxy1", "test-proxy2");
        assertThat(client.version()).isEqualTo("{\"version\": \"2.12.0\"}");
    }

    @Test
    void answersMissingAndDuplicateProxiesAsToxiproxyDoes() throws IOException {
        client.createProxy("dup", "127.0.0.1:0", upstream.address());

        assertThat(client.getProxyOrNull("missing")).isNull();
        assertThatThrownBy(() -> client.getProxy("missing")).isInstanceOf(IOException.class)
                .hasMessage("[404] proxy not found");
        assertThatThrownBy(() -> client.createProxy("dup", "127.0.0.1:0", upstream.address()))
                .isInstanceOf(IOException.class).hasMessage("[409] proxy already exists");
        Proxy proxy = client.getProxy("dup");
        proxy.toxics().latency("lat", ToxicDirection.DOWNSTREAM, 10);
        assertThatThrownBy(() -> proxy.toxics().timeout("lat", ToxicDirection.UPSTREAM, 10))
                .isInstanceOf(IOException.class).hasMessage("[409] toxic already exists");
        assertThatThrownBy(() -> proxy.toxics().get("nope")).isInstanceOf(IOException.class)
                .hasMessage("[404] toxic not found");
    }

    @Test
    void addsEveryToxicTypeUpdatesAndRemovesIt() throws IOException {
        Proxy proxy = client.createProxy("toxics", "127.0.0.1:0", upstream.address());

        Latency latency = proxy.toxics().latency("latency", ToxicDirection.DOWNSTREAM, 100);
        Bandwidth bandwidth = proxy.toxics().bandwidth("bandwidth", ToxicDirection.UPSTREAM, 50);
        SlowClose slowClose = proxy.toxics().slowClose("slow_close", ToxicDirection.DOWNSTREAM, 200);
        Timeout timeout = proxy.toxics().timeout("timeout", ToxicDirection.UPSTREAM, 300);
        ResetPeer resetPeer = proxy.toxics().resetPeer("reset_peer", ToxicDirection.DOWNSTREAM, 400);
        Slicer slicer = proxy.toxics().slicer("slicer", ToxicDirection.UPSTREAM, 10, 5);
        LimitData limitData = proxy.toxics().limitData("limit_data", ToxicDirection.DOWNSTREAM, 1000);

        assertThat(proxy.toxics().getAll()).extracting(Toxic::getName).containsExactly(
                "bandwidth", "timeout", "slicer", "latency", "slow_close", "reset_peer", "limit_data");

        latency.setJitter(15).setLatency(120);
        latency.setToxicity(0.5f);
        Latency reread = proxy.toxics().get("latency", Latency.class);
        assertThat(reread.getLatency()).isEqualTo(120);
        assertThat(reread.getJitter()).isEqualTo(15);
        assertThat(reread.getToxicity()).isEqualTo(0.5f);
        assertThat(reread.getStream()).isEqualTo(ToxicDirection.DOWNSTREAM);

        bandwidth.setRate(70);
        slowClose.setDelay(210);
        timeout.setTimeout(310);
        resetPeer.setTimeout(410);
        slicer.setAverageSize(11).setSizeVariation(3).setDelay(6);
        limitData.setBytes(1001);
        assertThat(proxy.toxics().get("bandwidth", Bandwidth.class).getRate()).isEqualTo(70);
        assertThat(proxy.toxics().get("slow_close", SlowClose.class).getDelay()).isEqualTo(210);
        assertThat(proxy.toxics().get("timeout", Timeout.class).getTimeout()).isEqualTo(310);
        assertThat(proxy.toxics().get("reset_peer", ResetPeer.class).getTimeout()).isEqualTo(410);
        Slicer slicerRead = proxy.toxics().get("slicer", Slicer.class);
        assertThat(List.of(slicerRead.getAverageSize(), slicerRead.getSizeVariation(), slicerRead.getDelay()))
                .containsExactly(11L, 3L, 6L);
        assertThat(proxy.toxics().get("limit_data", LimitData.class).getBytes()).isEqualTo(1001);
        assertThat(proxies.toxic("toxics", "latency"))
                .isEqualTo(new ToxicSpec("latency", Direction.DOWNSTREAM, 0.5f, new dev.meshunit.chaos.Toxic.Latency(120, 15)));

        latency.remove();
        assertThat(proxy.toxics().getAll()).hasSize(6).extracting(Toxic::getName).doesNotContain("latency");
    }

    @Test
    void resetEnablesEveryProxyAndRemovesEveryToxic() throws IOException {
        Proxy proxy = client.createProxy("reset", "127.0.0.1:0", upstream.address());
        proxy.toxics().latency("latency", ToxicDirection.DOWNSTREAM, 100);
        proxy.disable();
        assertThat(proxy.isEnabled()).isFalse();

        client.reset();

        assertThat(proxy.isEnabled()).isTrue();
        assertThat(proxy.toxics().getAll()).isEmpty();
        assertThat(client.getProxies()).hasSize(1);
    }

    @Test
    void disableClosesConnectionsAndRefusesNewOnesEnableReopensTheSamePort() throws IOException {
        Proxy proxy = client.createProxy("switch", "127.0.0.1:0", upstream.address());
        int port = Integer.parseInt(proxy.getListen().split(":")[1]);
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write('a');
            assertThat(socket.getInputStream().read()).isEqualTo('a');

            proxy.disable();

            assertThat(socket.getInputStream().read()).isEqualTo(-1);
            assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
        }
        proxy.enable();
        assertThat(proxy.getListen()).isEqualTo("127.0.0.1:" + port);
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write('b');
            assertThat(socket.getInputStream().read()).isEqualTo('b');
        }
        assertThat(proxies.journal().connections("switch")).first()
                .extracting(TcpConnectionRecord::endReason).isEqualTo(EndReason.PROXY_DISABLED);
    }

    @Test
    void movesAProxyToAnotherUpstreamAndDeletesIt() throws IOException {
        Proxy proxy = client.createProxy("move", "127.0.0.1:0", "127.0.0.1:1");
        proxy.setUpstream(upstream.address());
        assertThat(client.getProxy("move").getUpstream()).isEqualTo(upstream.address());

        proxy.delete();

        assertThat(client.getProxyOrNull("move")).isNull();
        assertThat(client.getProxies()).isEmpty();
    }
}
