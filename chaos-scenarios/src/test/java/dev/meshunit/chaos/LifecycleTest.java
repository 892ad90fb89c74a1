package dev.meshunit.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Isolated;

/** close() releases ports, threads and connections, and may be called twice. Isolated, so thread counts mean something. */
@Isolated
@ExtendWith(NettyLeakCheck.class)
class LifecycleTest {

    private static long threadsStartingWith(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith(prefix)).count();
    }

    @Test
    void closeReleasesPortsThreadsAndConnectionsAndIsIdempotent() throws IOException {
        Set<Thread> before = Set.copyOf(Thread.getAllStackTraces().keySet());
        int proxyPort;
        int apiPort;
        String prefix;
        String apiPrefix;
        try (TestServers.Upstream upstream = TestServers.echo()) {
            ToxicProxyServer proxies = ToxicProxyServer.create();
            ToxiproxyApiServer api = ToxiproxyApiServer.start(new InetSocketAddress("127.0.0.1", 0), proxies);
            prefix = proxies.threadNamePrefix();
            apiPrefix = api.threadNamePrefix();
            ProxyInfo proxy = proxies.createProxy("p", "127.0.0.1:0", upstream.address());
            proxyPort = proxy.port();
            apiPort = api.port();
            try (Socket socket = new Socket("127.0.0.1", proxyPort)) {
                socket.setSoTimeout(5000);
                socket.getOutputStream().write('x');
                assertThat(socket.getInputStream().read()).isEqualTo('x');
                assertThat(threadsStartingWith(prefix)).isPositive();
                assertThat(threadsStartingWith(apiPrefix)).isPositive();

                api.close();
                proxies.close();
                api.close();
                proxies.close();

                assertThat(socket.getInputStream().read()).isEqualTo(-1);
            }
            assertThat(proxies.journal().connections()).singleElement()
                    .extracting(TcpConnectionRecord::endReason).isEqualTo(EndReason.SERVER_CLOSED);
        }
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(threadsStartingWith(prefix)).isZero();
            assertThat(threadsStartingWith(apiPrefix)).isZero();
            assertThat(Thread.getAllStackTraces().keySet()).filteredOn(Thread::isAlive)
                    .filteredOn(t -> !before.contains(t) && t != Thread.currentThread()).extracting(Thread::getName).isEmpty();
        });
        for (int port : new int[] {proxyPort, apiPort}) {
            try (ServerSocket rebound = new ServerSocket()) {
                rebound.setReuseAddress(true);
                rebound.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            }
        }
    }

    @Test
    void disableThenEnableGetsTheSamePortBackEveryTime() {
        try (ToxicProxyServer proxies = ToxicProxyServer.create()) {
            int port = proxies.createProxy("again", "127.0.0.1:0", "127.0.0.1:1").port();
            for (int i = 0; i < 100; i++) {
                proxies.disable("again");
                assertThat(proxies.enable("again").port()).isEqualTo(port);
                assertThat(proxies.updateProxy("again", new ProxyUpdate(null, "127.0.0.1:" + (2 + i % 2), null)).port())
                        .isEqualTo(port);
            }
        }
    }

    @Test
    void proxiesBindLoopbackByDefault() {
        try (ToxicProxyServer proxies = ToxicProxyServer.create()) {
            assertThat(proxies.createProxy("a", ":0", "127.0.0.1:1").listen()).startsWith("127.0.0.1:");
            assertThat(proxies.createProxy("b", "", "127.0.0.1:1").listen()).startsWith("127.0.0.1:");
        }
    }

    @Test
    void aBusyPortIsA500WithGosWording() throws IOException {
        try (ToxicProxyServer proxies = ToxicProxyServer.create();
                ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> proxies.createProxy("x", "127.0.0.1:" + busy.getLocalPort(), "127.0.0.1:1"))
                    .isInstanceOfSatisfying(ChaosException.class, e -> assertThat(e.status()).isEqualTo(500))
                    .hasMessageStartingWith("listen tcp 127.0.0.1:" + busy.getLocalPort() + ": ");
            assertThat(proxies.proxies()).isEmpty();
        }
    }
}
