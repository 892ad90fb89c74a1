package dev.meshunit.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import eu.rekawek.toxiproxy.model.toxic.Timeout;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Each toxic, added with the unmodified toxiproxy-java client, measured on real sockets. */
// Timing bounds (delays, timeouts) are asserted here: no other class may load the two cores meanwhile.
@org.junit.jupiter.api.parallel.Isolated
@ExtendWith(NettyLeakCheck.class)
class ToxicEffectsTest {
    private ToxicProxyServer proxies;
    private ToxiproxyApiServer api;
    private ToxiproxyClient client;
    private final List<AutoCloseable> upstreams = new ArrayList<>();

    @BeforeEach
    void start() {
        proxies = ToxicProxyServer.builder().seed(7).build();
        api = ToxiproxyApiServer.start(new InetSocketAddress("127.0.0.1", 0), proxies);
        client = new ToxiproxyClient("127.0.0.1", api.port());
    }

    @AfterEach
    void stop() throws Exception {
        api.close();
        proxies.close();
        for (AutoCloseable upstream : upstreams) {
            upstream.close();
        }
    }

    private Proxy proxyTo(TestServers.Upstream upstream, String name) throws IOException {
        upstreams.add(upstream);
        return client.createProxy(name, "127.0.0.1:0", upstream.address());
    }

    private static Socket connect(Proxy proxy) throws IOException {
        Socket socket = new Socket("127.0.0.1", Integer.parseInt(proxy.getListen().split(":")[1]));
        socket.setSoTimeout(20_000);
        socket.setTcpNoDelay(true);
        return socket;
    }

    /** Sends 'z', checks that nothing comes back for 300 ms, removes the toxic and returns the next read. */
    private static int sendHeldUntilRemoved(Socket socket, eu.rekawek.toxiproxy.model.Toxic toxic) throws IOException {
        socket.setSoTimeout(300);
        socket.getOutputStream().write('z');
        assertThatThrownBy(() -> socket.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
        toxic.remove();
        socket.setSoTimeout(5000);
        return socket.getInputStream().read();
    }

    /** The single connection of {@code proxy}, once the journal has seen it end. */
    private TcpConnectionRecord ended(String proxy) {
        return await().atMost(Duration.ofSeconds(5)).until(
                () -> proxies.journal().connections(proxy),
                connections -> connections.size() == 1 && !connections.get(0).open()).get(0);
    }

    @Test
    void bandwidthOf100KilobytesPerSecondMovesAMegabyteInNoLessThan9Seconds() throws IOException {
        int megabyte = 1_000_000;
        Proxy proxy = proxyTo(TestServers.sending(megabyte), "bandwidth");
        proxy.toxics().bandwidth("bandwidth", ToxicDirection.DOWNSTREAM, 100);
        try (Socket socket = connect(proxy)) {
            long start = System.nanoTime();
            long total = 0;
            byte[] buffer = new byte[65536];
            InputStream in = socket.getInputStream();
            for (int n; (n = in.read(buffer)) > 0; ) {
                total += n;
            }
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            System.out.println("bandwidth 100 KB/s: " + total + " bytes in " + millis + " ms");
            assertThat(total).isEqualTo(megabyte);
            // Wall clock, as the toxic's rate is measured end to end: the lower bound is the toxic's own (a first
            // chunk may pass before the rate limit bites); the upper bound is only generous, since a busy machine
            // can deschedule the proxy's thread.
            assertThat(millis).isBetween(9_000L, 30_000L);
        }
    }

    @Test
    void bandwidthZeroHoldsDataUntilRemoved() throws IOException {
        Proxy proxy = proxyTo(TestServers.echo(), "cut");
        var cut = proxy.toxics().bandwidth("CUT_CONNECTION_DOWNSTREAM", ToxicDirection.DOWNSTREAM, 0);
        try (Socket socket = connect(proxy)) {
            assertThat(sendHeldUntilRemoved(socket, cut)).isEqualTo('z');
        }
    }

    @Test
    void resetPeerResetsTheClientConnection() throws IOException {
        Proxy proxy = proxyTo(TestServers.echo(), "reset");
        proxy.toxics().resetPeer("reset", ToxicDirection.UPSTREAM, 100);
        try (Socket socket = connect(proxy)) {
            long start = System.nanoTime();
            socket.getOutputStream().write("hello".getBytes());
            assertThatThrownBy(() -> socket.getInputStream().read())
                    .isInstanceOf(SocketException.class).hasMessageContaining("reset");
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(100);
        }
        TcpConnectionRecord c = ended("reset");
        assertThat(c.endReason()).isEqualTo(EndReason.RESET_BY_TOXIC);
        assertThat(c.bytesUp()).isZero();
    }

    @Test
    void timeoutSwallowsDataThenClosesAfterItsTimeout() throws IOException {
        Proxy proxy = proxyTo(TestServers.echo(), "timeout");
        proxy.toxics().timeout("timeout", ToxicDirection.UPSTREAM, 300);
        try (Socket socket = connect(proxy)) {
            long start = System.nanoTime();
            socket.getOutputStream().write("lost".getBytes());
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
            // Wall clock, end to end: a lower bound near the toxic's 300 ms, a generous upper bound for a busy machine.
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(280L, 5_000L);
        }
        TcpConnectionRecord c = ended("timeout");
        assertThat(c.endReason()).isEqualTo(EndReason.TIMEOUT_TOXIC);
        assertThat(c.bytesUp()).isZero();
    }

    @Test
    void timeoutZeroHoldsTheConnectionAndItsRemovalClosesIt() throws IOException {
        Proxy proxy = proxyTo(TestServers.echo(), "hold");
        Timeout timeout = proxy.toxics().timeout("hold", ToxicDirection.DOWNSTREAM, 0);
        try (Socket socket = connect(proxy)) {
            assertThat(sendHeldUntilRemoved(socket, timeout)).isEqualTo(-1);
        }
    }

    @Test
    void slicerSplitsWrites() throws IOException {
        Proxy proxy = proxyTo(TestServers.sending(100), "slicer");
        proxy.toxics().slicer("slicer", ToxicDirection.DOWNSTREAM, 10, 20_000);
        try (Socket socket = connect(proxy)) {
            List<Integer> reads = new ArrayList<>();
            long start = System.nanoTime();
            byte[] buffer = new byte[1000];
            for (int n; (n = socket.getInputStream().read(buffer)) > 0; ) {
                reads.add(n);
            }
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            System.out.println("slicer 10 bytes / 20 ms: reads " + reads + " in " + millis + " ms");
            assertThat(reads.stream().mapToInt(Integer::intValue).sum()).isEqualTo(100);
            assertThat(reads).hasSizeGreaterThanOrEqualTo(5);
            assertThat(millis).isGreaterThanOrEqualTo(180);
        }
    }

    @Test
    void limitDataClosesAfterTheGivenBytes() throws IOException {
        Proxy proxy = proxyTo(TestServers.sending(1000), "limit");
        proxy.toxics().limitData("limit", ToxicDirection.DOWNSTREAM, 64);
        try (Socket socket = connect(proxy)) {
            byte[] all = socket.getInputStream().readAllBytes();
            assertThat(all).hasSize(64);
        }
        TcpConnectionRecord c = ended("limit");
        assertThat(c.endReason()).isEqualTo(EndReason.LIMIT_DATA);
        assertThat(c.bytesDown()).isEqualTo(64);
    }

    @Test
    void slowCloseDelaysTheClose() throws IOException {
        Proxy proxy = proxyTo(TestServers.sending(3), "slow");
        proxy.toxics().slowClose("slow", ToxicDirection.DOWNSTREAM, 400);
        try (Socket socket = connect(proxy)) {
            InputStream in = socket.getInputStream();
            assertThat(in.readNBytes(3)).hasSize(3);
            long start = System.nanoTime();
            assertThat(in.read()).isEqualTo(-1);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            System.out.println("slow_close 400 ms: closed " + millis + " ms after the data");
            // Wall clock, end to end: a lower bound near the toxic's 400 ms, a generous upper bound for a busy machine.
            assertThat(millis).isBetween(350L, 5_000L);
        }
    }

    @Test
    void toxicityZeroNeverApplies() throws IOException {
        Proxy proxy = proxyTo(TestServers.echo(), "never");
        proxy.toxics().latency("latency", ToxicDirection.DOWNSTREAM, 10_000).setToxicity(0f);
        try (Socket socket = connect(proxy)) {
            // Far below the 10 s the toxic would add, so that a busy machine cannot make it look applied.
            assertThat(TestServers.roundTripMillis(socket)).isLessThan(5_000);
        }
        assertThat(proxies.journal().connections("never").get(0).toxicsApplied()).isEmpty();
    }

    @Test
    void journalRecordsBytesEachWayAndHowTheConnectionEnded() throws IOException {
        Proxy proxy = proxyTo(TestServers.echo(), "journal");
        try (Socket socket = connect(proxy)) {
            socket.getOutputStream().write("hello".getBytes());
            assertThat(socket.getInputStream().readNBytes(5)).asString().isEqualTo("hello");
        }
        TcpConnectionRecord c = ended("journal");
        assertThat(c.endReason()).isEqualTo(EndReason.CLIENT_CLOSED);
        assertThat(c.bytesUp()).isEqualTo(5);
        assertThat(c.bytesDown()).isEqualTo(5);
        assertThat(c.client()).startsWith("127.0.0.1:");
        assertThat(c.end()).isAfterOrEqualTo(c.start());
    }

    @Test
    void aRefusedUpstreamIsJournalledAsConnectFailed() throws IOException {
        Proxy proxy = client.createProxy("nowhere", "127.0.0.1:0", "127.0.0.1:1");
        try (Socket socket = connect(proxy)) {
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        }
        assertThat(ended("nowhere").endReason()).isEqualTo(EndReason.CONNECT_FAILED);
    }
}
