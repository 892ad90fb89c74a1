package dev.meshunit.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshunit.MeshProxy;
import dev.meshunit.VirtualTime;
import dev.meshunit.config.IstioConfig;
import dev.meshunit.journal.Connection;
import dev.meshunit.journal.Connection.EndReason;
import dev.meshunit.testing.TcpClient;
import dev.meshunit.testing.TcpEcho;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** tcp_proxy's idle timeout on virtual time: an hour without a byte, exactly, closes the connection. */
class TcpIdleTimeoutTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void aConnectionIdleForTheIdleTimeoutIsClosedAndBytesPostponeIt() throws Exception {
        VirtualTime time = VirtualTime.create();
        try (TcpEcho echo = new TcpEcho("one")) {
            IstioConfig config = TcpConfigs.load(TcpConfigs.echoService("TCP", "", "v1")
                    + TcpConfigs.subsets("  trafficPolicy: {connectionPool: {tcp: {idleTimeout: 1h}}}")
                    + TcpConfigs.echoRules("  - route: [{destination: {host: echo, port: {number: 9000}, subset: v1}}]\n"),
                    Map.of("v1", echo.port()));
            try (MeshProxy proxy = MeshProxy.builder().virtualTime(time).config(config).start();
                 Socket s = TcpClient.connect(proxy.serviceAddress("echo:9000"))) {
                s.getOutputStream().write("hi\n".getBytes());
                assertThat(new String(s.getInputStream().readNBytes(7))).isEqualTo("one hi\n");
                // Connected upstream: the idle timer is the only one.
                await().atMost(WAIT).until(() -> time.pendingTimers() == 1);
                time.advance(Duration.ofMinutes(30));
                s.getOutputStream().write("again\n".getBytes());
                assertThat(new String(s.getInputStream().readNBytes(10))).isEqualTo("one again\n");
                time.advance(Duration.ofMinutes(30)); // an hour since the start, half an hour since the last byte
                assertThat(proxy.journal().connections().all()).isEmpty();
                time.advance(Duration.ofMinutes(30).minusMillis(1));
                assertThat(proxy.journal().connections().all()).isEmpty();
                time.advance(Duration.ofMillis(1));
                assertThat(TcpClient.closedWithoutData(s)).isTrue();
                Connection c = TcpConfigs.awaitConnections(proxy, 1).get(0);
                assertThat(c.endReason()).isEqualTo(EndReason.IDLE_TIMEOUT);
                assertThat(c.durationMs()).isEqualTo((double) Duration.ofMinutes(90).toMillis());
            }
        }
    }
}
