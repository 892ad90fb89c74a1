package dev.meshunit.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshunit.MeshProxy;
import dev.meshunit.config.IstioConfig;
import dev.meshunit.journal.Connection;
import dev.meshunit.journal.Connection.EndReason;
import dev.meshunit.journal.OutlierEvent;
import dev.meshunit.journal.ResponseFlag;
import dev.meshunit.testing.NoLeaks;
import dev.meshunit.testing.Stall;
import dev.meshunit.testing.RefusingPort;
import dev.meshunit.testing.TcpClient;
import dev.meshunit.testing.TcpEcho;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The cluster side of a TCP route: connection limits, connect failures and outlier detection, who closes
 * first, resets, and back-pressure, over real sockets.
 */
@ExtendWith(NoLeaks.class)
class TcpUpstreamTest {
    private static final String ALL_V1 = TcpConfigs.echoRules("""
              - route: [{destination: {host: echo, port: {number: 9000}, subset: v1}}]
            """);

    static IstioConfig single(int port, String policy) {
        return TcpConfigs.load(TcpConfigs.echoService("TCP", "", "v1") + TcpConfigs.subsets(policy) + ALL_V1,
                Map.of("v1", port));
    }

    @Test
    void maxConnectionsOverflowClosesTheNewConnectionWithUO() throws Exception {
        try (TcpEcho echo = new TcpEcho("one");
             MeshProxy proxy = MeshProxy.builder().config(single(echo.port(),
                     "  trafficPolicy: {connectionPool: {tcp: {maxConnections: 1}}}")).start()) {
            try (Socket held = TcpClient.connect(proxy.serviceAddress("echo:9000"))) {
                held.getOutputStream().write("held\n".getBytes());
                assertThat(new String(held.getInputStream().readNBytes(9))).isEqualTo("one held\n");
                try (Socket over = TcpClient.connect(proxy.serviceAddress("echo:9000"))) {
                    assertThat(TcpClient.closedWithoutData(over)).isTrue();
                }
                Connection overflow = TcpConfigs.awaitConnections(proxy, 1).get(0);
                assertThat(overflow.endReason()).isEqualTo(EndReason.OVERFLOW);
                assertThat(overflow.flags()).containsExactly(ResponseFlag.UO);
                assertThat(overflow.endpoint()).isNull();
                assertThat(proxy.clusterStats()).filteredOn(s -> s.name().equals("outbound|9000|v1|echo.default.svc.cluster.local"))
                        .singleElement().satisfies(s -> assertThat(s.breakers().connectionOverflows()).isEqualTo(1));
            }
            // The held connection's slot is free again once it closed.
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThat(TcpClient.exchange(proxy.serviceAddress("echo:9000"), "next\n")).isEqualTo("one next\n"));
        }
    }

    @Test
    void connectFailuresAreUFURXAndEjectTheEndpoint() throws Exception {
        RefusingPort refusing = new RefusingPort();
        int dead = refusing.port();
        String service = TcpConfigs.echoService("TCP", "", "v1", "v2");
        String rule = """
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: echo}
                spec:
                  host: echo
                  trafficPolicy:
                    loadBalancer: {simple: ROUND_ROBIN}
                    outlierDetection: {consecutive5xxErrors: 2, interval: 1s, baseEjectionTime: 30s, maxEjectionPercent: 100}
                """;
        try (refusing; TcpEcho echo = new TcpEcho("one");
             MeshProxy proxy = MeshProxy.builder().config(TcpConfigs.load(service + rule, Map.of("v1", echo.port(), "v2", dead))).start()) {
            List<String> replies = new ArrayList<>();
            for (int i = 0; i < 12; i++) replies.add(TcpClient.exchange(proxy.serviceAddress("echo:9000"), "hi\n"));
            List<Connection> log = TcpConfigs.awaitConnections(proxy, 12);
            List<Connection> failed = log.stream().filter(c -> c.endReason() == EndReason.CONNECT_FAILURE).toList();
            assertThat(failed).as("round robin reaches the dead endpoint twice, then it is ejected").hasSize(2);
            assertThat(failed).allSatisfy(c -> {
                assertThat(c.flags()).containsExactlyInAnyOrder(ResponseFlag.UF, ResponseFlag.URX);
                assertThat(c.endpoint()).isEqualTo("127.0.0.1:" + dead);
            });
            assertThat(replies).filteredOn(r -> r.equals("one hi\n")).hasSize(10);
            assertThat(proxy.journal().events()).singleElement().isInstanceOfSatisfying(OutlierEvent.Ejected.class,
                    e -> assertThat(e.endpoint()).isEqualTo("127.0.0.1:" + dead));
        }
    }

    @Test
    void aConnectTimeoutIsAConnectFailure() throws Exception {
        // A listener whose accept queue is full drops further SYNs, so a connect to it never completes.
        try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<Socket> fillers = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) fillers.add(connectQuietly(full.getLocalPort()));
                IstioConfig config = single(full.getLocalPort(), "  trafficPolicy: {connectionPool: {tcp: {connectTimeout: 300ms}}}");
                try (MeshProxy proxy = MeshProxy.builder().config(config).start();
                     Socket s = TcpClient.connect(proxy.serviceAddress("echo:9000"))) {
                    long start = System.nanoTime();
                    assertThat(TcpClient.closedWithoutData(s)).isTrue();
                    // Lower bound only: the timeout is the proxy's; how late the close comes depends on load.
                    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(250));
                    Connection c = TcpConfigs.awaitConnections(proxy, 1).get(0);
                    assertThat(c.endReason()).isEqualTo(EndReason.CONNECT_FAILURE);
                    assertThat(c.flags()).contains(ResponseFlag.UF);
                }
            } finally {
                for (Socket f : fillers) f.close();
            }
        }
    }

    private static Socket connectQuietly(int port) throws IOException {
        Socket s = new Socket();
        try {
            s.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
        } catch (IOException timedOut) {
            // the queue is already full
        }
        return s;
    }

    @Test
    void anUpstreamThatClosesFirstGetsItsLastBytesToTheClient() throws Exception {
        try (OneShot up = new OneShot(s -> {
                 s.getOutputStream().write("banner\n".getBytes());
                 s.shutdownOutput();
                 // still reads what the client sends after the upstream's close
                 return s.getInputStream().readAllBytes().length;
             });
             MeshProxy proxy = MeshProxy.builder().config(single(up.port(), "")).start();
             Socket s = TcpClient.connect(proxy.serviceAddress("echo:9000"))) {
            assertThat(new String(s.getInputStream().readAllBytes())).isEqualTo("banner\n");
            s.getOutputStream().write("after close\n".getBytes());
            s.shutdownOutput();
            assertThat(up.result()).as("half-closed, not closed: the client's bytes still arrive").isEqualTo(12);
            Connection c = TcpConfigs.awaitConnections(proxy, 1).get(0);
            assertThat(c.endReason()).isEqualTo(EndReason.UPSTREAM_CLOSE);
            assertThat(c.bytesToClient()).isEqualTo(7);
            assertThat(c.bytesFromClient()).isEqualTo(12);
        }
    }

    @Test
    void anUpstreamResetEndsTheConnectionAsReset() throws Exception {
        try (OneShot up = new OneShot(s -> {
                 s.getInputStream().read();
                 s.setSoLinger(true, 0);
                 s.close();
                 return 0;
             });
             MeshProxy proxy = MeshProxy.builder().config(single(up.port(), "")).start();
             Socket s = TcpClient.connect(proxy.serviceAddress("echo:9000"))) {
            s.getOutputStream().write("x".getBytes());
            assertThat(TcpClient.closedWithoutData(s)).isTrue();
            assertThat(TcpConfigs.awaitConnections(proxy, 1).get(0).endReason()).isEqualTo(EndReason.RESET);
        }
    }

    @Test
    void aClientThatDoesNotReadStopsTheProxyReadingFromTheUpstream() throws Exception {
        long total = 64L * 1024 * 1024;
        AtomicLong written = new AtomicLong();
        try (OneShot up = new OneShot(s -> {
                 OutputStream out = s.getOutputStream();
                 byte[] chunk = new byte[64 * 1024];
                 for (long sent = 0; sent < total; sent += chunk.length) {
                     out.write(chunk);
                     written.addAndGet(chunk.length);
                 }
                 s.shutdownOutput();
                 return 0;
             });
             MeshProxy proxy = MeshProxy.builder().config(single(up.port(), "")).start();
             Socket s = TcpClient.connect(proxy.serviceAddress("echo:9000"))) {
            s.setReceiveBufferSize(64 * 1024);
            long stalled = Stall.await(written::get, Duration.ofSeconds(30));
            Thread.sleep(300);
            // Only socket buffers (a few MiB on Linux) sit between a stalled client and the upstream.
            assertThat(written.get()).as("bytes the upstream got rid of while the client did not read").isLessThan(24L * 1024 * 1024)
                    .isLessThanOrEqualTo(stalled + 1024 * 1024);
            InputStream in = s.getInputStream();
            long read = 0;
            byte[] buf = new byte[256 * 1024];
            for (int n; (n = in.read(buf)) >= 0; ) read += n;
            assertThat(read).isEqualTo(total);
            s.shutdownOutput();
            assertThat(TcpConfigs.awaitConnections(proxy, 1).get(0).bytesToClient()).isEqualTo(total);
        }
    }

    /** An upstream that serves one connection with {@code script}, on its own thread. */
    static final class OneShot implements AutoCloseable {
        interface Script {
            long run(Socket s) throws Exception;
        }

        private final ServerSocket server;
        private final CompletableFuture<Long> result = new CompletableFuture<>();

        OneShot(Script script) throws IOException {
            server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
            Thread t = new Thread(() -> {
                try (Socket s = server.accept()) {
                    result.complete(script.run(s));
                } catch (Exception e) {
                    result.completeExceptionally(e);
                }
            }, "one-shot-upstream");
            t.setDaemon(true);
            t.start();
        }

        int port() {
            return server.getLocalPort();
        }

        long result() throws Exception {
            return result.get(10, java.util.concurrent.TimeUnit.SECONDS);
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
