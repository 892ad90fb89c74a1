package dev.meshunit.chaos;

import static dev.meshunit.chaos.ContainerImages.ECHO_PORT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.model.ExposedPort;
import dev.meshunit.chaos.containers.ContainerEndpoints;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/** A TCP echo server in a container (busybox nc) behind toxic proxies, through MeshUnit's own API. */
@Testcontainers(disabledWithoutDocker = true)
@ExtendWith(NettyLeakCheck.class)
class ContainerTcpToxicTest {
    @Container
    static final GenericContainer<?> echo = ContainerImages.echoServer();

    private static ToxicProxyServer proxies;

    @BeforeAll
    static void startProxies() {
        proxies = ToxicProxyServer.builder().seed(7).build();
    }

    @AfterAll
    static void closeProxies() {
        proxies.close();
    }

    @Test
    void theContainerIsPublishedOnLoopbackOnly() {
        var bindings = echo.getContainerInfo().getNetworkSettings().getPorts().getBindings();
        assertThat(bindings.get(ExposedPort.tcp(ECHO_PORT)))
                .extracting(b -> b.getHostIp()).containsOnly("127.0.0.1");
    }

    @Test
    void latencyAddsItsDelayToAnEchoRoundTripUntilRemoved() throws IOException {
        ProxyInfo proxy = proxies.createProxy("latency", "127.0.0.1:0", ContainerEndpoints.upstream(echo, ECHO_PORT));
        assertThat(proxy.listen()).startsWith("127.0.0.1:");
        try (Socket socket = new Socket("127.0.0.1", proxy.port())) {
            long without = TestServers.roundTripMillis(socket);
            // 2 s, so that "removed" (well below it) holds on a busy machine too; wall clock, end to end.
            proxies.addToxic("latency", ToxicSpec.of(Direction.DOWNSTREAM, new Toxic.Latency(2_000, 0)));
            long with = TestServers.roundTripMillis(socket);
            assertThat(with).as("round trip with latency (without: %d ms)", without).isGreaterThanOrEqualTo(2_000);
            proxies.removeToxic("latency", "latency_downstream");
            assertThat(TestServers.roundTripMillis(socket)).isLessThan(2_000);
        }
    }

    @Test
    void resetPeerResetsTheClient() throws IOException {
        ProxyInfo proxy = proxies.createProxy("reset", "127.0.0.1:0", ContainerEndpoints.upstream(echo, ECHO_PORT));
        proxies.addToxic("reset", ToxicSpec.of(Direction.UPSTREAM, new Toxic.ResetPeer(0)));
        try (Socket socket = new Socket("127.0.0.1", proxy.port())) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write("hello".getBytes());
            assertThatThrownBy(() -> socket.getInputStream().read())
                    .isInstanceOf(SocketException.class).hasMessageContaining("reset");
        }
        List<TcpConnectionRecord> seen = await().atMost(Duration.ofSeconds(5)).until(
                () -> proxies.journal().connections("reset"), c -> c.size() == 1 && !c.get(0).open());
        assertThat(seen.get(0).endReason()).isEqualTo(EndReason.RESET_BY_TOXIC);
        assertThat(seen.get(0).upstream()).isEqualTo("127.0.0.1:" + echo.getMappedPort(ECHO_PORT));
        assertThat(seen.get(0).bytesUp()).isZero();
    }
}
