package dev.meshunit.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshunit.MeshProxy;
import dev.meshunit.config.IstioConfig;
import dev.meshunit.journal.Connection.EndReason;
import dev.meshunit.testing.NoLeaks;
import dev.meshunit.testing.RefusingPort;
import dev.meshunit.testing.Threads;
import dev.meshunit.testing.TcpClient;
import dev.meshunit.testing.TcpEcho;
import java.io.File;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * Proxies that served every kind of TCP connection (relayed, refused, failed, half-done, left open) give
 * back every thread and descriptor when closed, and Netty reports no leaked buffer. Isolated, because
 * threads and descriptors are counted for the whole process.
 */
@Isolated
@ExtendWith(NoLeaks.class)
class TcpHygieneTest {
    private static final long SEED = 0x7c9;

    @Test
    void everyKindOfConnectionLeavesNothingBehind() throws Exception {
        try (TcpEcho echo = new TcpEcho("one"); RefusingPort refusing = new RefusingPort()) {
            int dead = refusing.port();
            IstioConfig config = TcpConfigs.load(TcpConfigs.echoService("TCP", "", "v1", "v2")
                    + TcpConfigs.echoService("TLS", "", "v1").replace("name: echo", "name: secure").replace("[echo]", "[secure]")
                    + TcpConfigs.subsets("  trafficPolicy: {connectionPool: {tcp: {maxConnections: 3}}}")
                    + TcpConfigs.echoRules("""
                            - match: [{port: 9001}]
                              route: [{destination: {host: echo, port: {number: 9000}, subset: v2}}]
                            - match: [{port: 9000}]
                              route: [{destination: {host: echo, port: {number: 9000}, subset: v1}}]
                            """), Map.of("v1", echo.port(), "v2", dead));
            useAndClose(config); // loads classes and process-wide Netty state before counting
            java.util.Set<Thread> threadsBefore = Threads.snapshot();
            int fdsBefore = openDescriptors();
            for (int i = 0; i < 5; i++) useAndClose(config);
            String prefix = "meshunit-" + Long.toHexString(SEED);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith(prefix));
                assertThat(Threads.newSince(threadsBefore)).isEmpty();
                assertThat(openDescriptors()).isLessThanOrEqualTo(fdsBefore);
            });
        }
    }

    private static void useAndClose(IstioConfig config) throws Exception {
        List<Socket> leftOpen = new ArrayList<>();
        MeshProxy proxy = MeshProxy.builder().seed(SEED).config(config).start();
        try {
            for (int i = 0; i < 20; i++) assertThat(TcpClient.exchange(proxy.serviceAddress("echo:9000"), "x\n")).isEqualTo("one x\n");
            for (int i = 0; i < 5; i++) assertThat(TcpClient.exchange(proxy.serviceAddress("echo:9001"), "x\n")).isEmpty();
            for (int i = 0; i < 5; i++) TcpClient.exchange(proxy.serviceAddress("secure:9000"), "not tls\n");
            for (int i = 0; i < 3; i++) {
                Socket held = TcpClient.connect(proxy.serviceAddress("echo:9000"));
                held.getOutputStream().write("half a line".getBytes());
                leftOpen.add(held);
            }
            leftOpen.add(TcpClient.connect(proxy.serviceAddress("secure:9000"))); // never sends its ClientHello
            await().atMost(Duration.ofSeconds(10)).until(() -> proxy.journal().connections().all().size() >= 30);
            assertThat(TcpClient.exchange(proxy.serviceAddress("echo:9000"), "x\n")).as("over maxConnections").isEmpty();
        } finally {
            proxy.close();
        }
        for (Socket s : leftOpen) {
            assertThat(TcpClient.closedWithoutData(s)).isTrue();
            s.close();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> proxy.journal().connections().all().size() == 35);
        assertThat(proxy.journal().connections().all()).filteredOn(c -> c.endReason() == EndReason.PROXY_CLOSED).hasSize(4);
    }

    private static int openDescriptors() {
        return Objects.requireNonNull(new File("/proc/self/fd").list(), "/proc/self/fd").length;
    }
}
