package dev.meshunit.chaos;

import static dev.meshunit.chaos.ContainerImages.ECHO_PORT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshunit.chaos.containers.ContainerEndpoints;
import dev.meshunit.chaos.containers.ContainerProxy;
import dev.meshunit.chaos.containers.InProcessToxiproxy;
import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * {@link InProcessToxiproxy} used as Testcontainers documents its {@code ToxiproxyContainer}: a toxiproxy-java
 * client on {@code getHost()}/{@code getControlPort()}, and 1.x's {@code getProxy(container, port)} with
 * {@code setConnectionCut}. Only the listen address and the upstream differ, as the proxies run on the host.
 */
@Testcontainers(disabledWithoutDocker = true)
@ExtendWith(NettyLeakCheck.class)
class ContainerToxiproxyDropInTest {
    @Container
    static final GenericContainer<?> echo = ContainerImages.echoServer();

    @Container
    static final InProcessToxiproxy toxiproxy = new InProcessToxiproxy();

    @Test
    void toxiproxyClientAsWithToxiproxyContainer() throws IOException {
        ToxiproxyClient client = new ToxiproxyClient(toxiproxy.getHost(), toxiproxy.getControlPort());
        // ToxiproxyContainer: createProxy("echo", "0.0.0.0:8666", "echo:7000") and toxiproxy.getMappedPort(8666)
        Proxy proxy = client.createProxy("echo", "127.0.0.1:0", ContainerEndpoints.upstream(echo, ECHO_PORT));
        proxy.toxics().latency("latency", ToxicDirection.DOWNSTREAM, 200).setJitter(0);
        try (Socket socket = new Socket(toxiproxy.getHost(), InProcessToxiproxy.listenPort(proxy))) {
            assertThat(TestServers.roundTripMillis(socket)).isGreaterThanOrEqualTo(200);
        }
        assertThat(client.getProxy("echo").toxics().getAll()).singleElement()
                .satisfies(t -> assertThat(t.getName()).isEqualTo("latency"));
    }

    @Test
    void connectionCutHoldsTrafficUntilRestored() throws IOException {
        ContainerProxy proxy = toxiproxy.getProxy(echo, ECHO_PORT);
        assertThat(toxiproxy.getProxy(echo, ECHO_PORT)).isSameAs(proxy);
        assertThat(proxy.getName()).isEqualTo(echo.getNetworkAliases().get(0) + ":" + ECHO_PORT);
        try (Socket socket = new Socket(proxy.getContainerIpAddress(), proxy.getProxyPort())) {
            assertThat(TestServers.roundTripMillis(socket)).as("before the cut, the echo answers").isLessThan(5_000);

            proxy.setConnectionCut(true);
            socket.setSoTimeout(300);
            socket.getOutputStream().write('x');
            assertThatThrownBy(() -> socket.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);

            proxy.setConnectionCut(false);
            socket.setSoTimeout(5_000);
            assertThat(socket.getInputStream().read()).isEqualTo('x');
        }
        assertThat(proxy.toxics().getAll()).isEmpty();
    }
}
