package dev.meshunit.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.meshunit.MeshProxy;
import dev.meshunit.config.IstioConfig;
import dev.meshunit.config.load.ConfigLoader;
import dev.meshunit.journal.Connection;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Istio's TCP traffic shifting task (tasks/traffic-management/tcp-traffic-shifting) with Istio's own tcp-echo
 * sample files, unchanged: all traffic to v1, then 80% to v1 and 20% to v2, split per connection. The
 * sample's VirtualService is bound to {@code tcp-echo-gateway}, so the proxy plays that gateway, and its
 * port 31400 is a listener.
 */
class TcpTrafficShiftingTest {
    static IstioConfig config(Map<String, Integer> ports, String... sampleFiles) throws Exception {
        Path[] paths = new Path[sampleFiles.length + 1];
        paths[0] = Path.of(TcpTrafficShiftingTest.class.getResource("/tcp-echo/services.yaml").toURI());
        for (int i = 0; i < sampleFiles.length; i++) paths[i + 1] = Bookinfo.samples().resolve(sampleFiles[i]);
        return ConfigLoader.create().applyInOrder()
                .withPlaceholders(n -> ports.containsKey(n) ? ports.get(n).toString() : null)
                .load(paths).orThrow();
    }

    /** {@code (date; sleep 1) | nc $INGRESS_HOST $TCP_INGRESS_PORT}: one line, then the echo's answer. */
    static String dateThroughNc(InetSocketAddress ingress) throws IOException {
        try (Socket s = new Socket(ingress.getAddress(), ingress.getPort())) {
            s.setSoTimeout(20_000);
            s.getOutputStream().write((Instant.now() + "\n").getBytes(StandardCharsets.UTF_8));
            s.shutdownOutput();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void allToV1ThenEightyTwentyPerConnection() throws Exception {
        assumeTrue(Bookinfo.samples() != null, "Istio's samples are not beside this checkout");
        try (TcpEchoServer v1 = new TcpEchoServer("one"); TcpEchoServer v2 = new TcpEchoServer("two")) {
            Map<String, Integer> ports = Map.of("tcp-echo-v1", v1.port(), "tcp-echo-v2", v2.port());
            try (MeshProxy proxy = MeshProxy.builder().gateway("tcp-echo-gateway").seed(2018)
                    .config(config(ports, "tcp-echo/tcp-echo-services.yaml", "tcp-echo/tcp-echo-all-v1.yaml")).start()) {
                InetSocketAddress ingress = proxy.serviceAddress("tcp-echo-gateway:31400");
                for (int i = 0; i < 20; i++) assertThat(dateThroughNc(ingress)).startsWith("one ");

                proxy.updateConfig(config(ports, "tcp-echo/tcp-echo-services.yaml", "tcp-echo/tcp-echo-all-v1.yaml",
                        "tcp-echo/tcp-echo-20-v2.yaml"));
                proxy.journal().reset();
                int two = 0;
                for (int i = 0; i < 1000; i++) {
                    String reply = dateThroughNc(ingress);
                    assertThat(reply).matches("(one|two) .*\n");
                    if (reply.startsWith("two ")) two++;
                }
                assertThat(two).as("about 20%% of 1,000 connections reach v2 (within 5 points)").isBetween(150, 250);

                await().atMost(Duration.ofSeconds(10)).until(() -> proxy.journal().connections().all().size() == 1000);
                List<Connection> log = proxy.journal().connections().all();
                assertThat(log).filteredOn(c -> "v2".equals(c.subset())).hasSize(two);
                assertThat(log).allSatisfy(c -> {
                    assertThat(c.listener()).isEqualTo("tcp-echo-gateway:31400");
                    assertThat(c.route().virtualService()).isEqualTo("tcp-echo");
                    assertThat(c.destination().port()).isEqualTo(9000);
                });
            }
        }
    }
}
