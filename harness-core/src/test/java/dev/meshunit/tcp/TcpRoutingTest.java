package dev.meshunit.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshunit.MeshProxy;
import dev.meshunit.config.IstioConfig;
import dev.meshunit.journal.Connection;
import dev.meshunit.journal.Connection.EndReason;
import dev.meshunit.journal.ResponseFlag;
import dev.meshunit.testing.NoLeaks;
import dev.meshunit.testing.TcpClient;
import dev.meshunit.testing.TcpEcho;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** VirtualService {@code tcp:} rules on a TCP service port, through its listener, with a plain TCP client. */
@ExtendWith(NoLeaks.class)
class TcpRoutingTest {
    static TcpEcho v1;
    static TcpEcho v2;

    @BeforeAll
    static void start() {
        v1 = new TcpEcho("one");
        v2 = new TcpEcho("two");
    }

    @AfterAll
    static void stop() {
        v1.close();
        v2.close();
    }

    static IstioConfig config(String serviceExtra, String policy, String virtualService) {
        return TcpConfigs.load(TcpConfigs.echoService("TCP", serviceExtra, "v1", "v2") + TcpConfigs.subsets(policy)
                + virtualService, Map.of("v1", v1.port(), "v2", v2.port()));
    }

    static final String SPLIT_80_20 = TcpConfigs.echoRules("""
              - route:
                - {destination: {host: echo, port: {number: 9000}, subset: v1}, weight: 80}
                - {destination: {host: echo, port: {number: 9000}, subset: v2}, weight: 20}
            """);

    @Test
    void weightsSplitPerConnectionAndEveryByteOfAConnectionGoesToOneEndpoint() {
        try (MeshProxy proxy = MeshProxy.builder().seed(7).config(config("", "", SPLIT_80_20)).start()) {
            int two = 0;
            for (int i = 0; i < 500; i++) {
                String reply = TcpClient.exchange(proxy.serviceAddress("echo:9000"), "hello\nworld\n");
                assertThat(reply).isIn("one hello\none world\n", "two hello\ntwo world\n");
                if (reply.startsWith("two")) two++;
            }
            assertThat(two).as("20%% of 500 within 5 points").isBetween(75, 125);
            List<Connection> log = TcpConfigs.awaitConnections(proxy, 500);
            assertThat(log).hasSize(500);
            assertThat(log).filteredOn(c -> "v2".equals(c.subset())).hasSize(two);
            Connection c = log.get(0);
            assertThat(c.listener()).isEqualTo("echo:9000");
            assertThat(c.route().virtualService()).isEqualTo("echo");
            assertThat(c.route().name()).isEqualTo("tcp[0]");
            assertThat(c.destination().host()).isEqualTo("echo.default.svc.cluster.local");
            assertThat(c.destination().port()).isEqualTo(9000);
            assertThat(c.endpoint()).isIn(v1.address().getHostString() + ":" + v1.port(), "127.0.0.1:" + v2.port());
            assertThat(c.bytesFromClient()).isEqualTo(12);
            assertThat(c.bytesToClient()).isEqualTo(20);
            assertThat(c.endReason()).isEqualTo(EndReason.CLIENT_CLOSE);
            assertThat(c.flags()).isEmpty();
        }
    }

    @Test
    void theSameSeedGivesTheSameSequenceOfPicks() {
        assertThat(picks(99)).isEqualTo(picks(99)).isNotEqualTo(picks(100));
    }

    private static String picks(long seed) {
        StringBuilder b = new StringBuilder();
        try (MeshProxy proxy = MeshProxy.builder().seed(seed).config(config("", "", SPLIT_80_20)).start()) {
            for (int i = 0; i < 40; i++) b.append(TcpClient.exchange(proxy.serviceAddress("echo:9000"), "x\n").charAt(1));
        }
        return b.toString();
    }

    @Test
    void rulesMatchOnPortSourceLabelsAndDestinationSubnetsInOrder() {
        String vs = TcpConfigs.echoRules("""
                  - match: [{port: 9001}]
                    route: [{destination: {host: echo, port: {number: 9000}, subset: v2}}]
                  - match: [{sourceLabels: {app: canary}}]
                    route: [{destination: {host: echo, port: {number: 9000}, subset: v2}}]
                  - match: [{destinationSubnets: [192.168.0.0/16]}, {destinationSubnets: [10.1.0.0/16]}]
                    route: [{destination: {host: echo, port: {number: 9000}, subset: v1}}]
                """);
        IstioConfig config = config("  addresses: [10.1.2.3]", "", vs);
        try (MeshProxy proxy = MeshProxy.builder().source("default", Map.of("app", "web")).config(config).start()) {
            assertThat(TcpClient.exchange(proxy.serviceAddress("echo:9000"), "a\n")).isEqualTo("one a\n");
            assertThat(TcpClient.exchange(proxy.serviceAddress("echo:9001"), "b\n")).isEqualTo("two b\n");
            assertThat(TcpConfigs.awaitConnections(proxy, 2)).extracting(c -> c.route().name()).containsExactlyInAnyOrder("tcp[2]", "tcp[0]");
        }
        try (MeshProxy proxy = MeshProxy.builder().source("default", Map.of("app", "canary")).config(config).start()) {
            assertThat(TcpClient.exchange(proxy.serviceAddress("echo:9000"), "c\n")).isEqualTo("two c\n");
        }
    }

    @Test
    void tcpRulesThatMatchNothingLeaveTheServicesOwnRoute() {
        // istiod adds the service's own filter chain after the rules unless one of them matches everything.
        String vs = TcpConfigs.echoRules("""
                  - match: [{destinationSubnets: [192.168.0.0/16]}]
                    route: [{destination: {host: echo, port: {number: 9000}, subset: v2}}]
                """);
        try (MeshProxy proxy = MeshProxy.builder().config(config("  addresses: [10.1.2.3]", "", vs)).start()) {
            for (int i = 0; i < 10; i++) {
                assertThat(TcpClient.exchange(proxy.serviceAddress("echo:9000"), "a\n")).isIn("one a\n", "two a\n");
            }
            assertThat(TcpConfigs.awaitConnections(proxy, 10)).allSatisfy(c -> {
                assertThat(c.route().name()).isEqualTo("default:echo.default.svc.cluster.local");
                assertThat(c.subset()).isNull();
                assertThat(c.flags()).isEmpty();
            });
        }
    }

    @Test
    void aServiceWithoutVirtualServiceIsProxiedToAllItsEndpoints() {
        IstioConfig config = TcpConfigs.load(TcpConfigs.echoService("MONGO", "", "v1"), Map.of("v1", v1.port()));
        try (MeshProxy proxy = MeshProxy.builder().config(config).start()) {
            assertThat(TcpClient.exchange(proxy.serviceAddress("echo:9000"), "ping\n")).isEqualTo("one ping\n");
            Connection c = TcpConfigs.awaitConnections(proxy, 1).get(0);
            assertThat(c.route().name()).isEqualTo("default:echo.default.svc.cluster.local");
            assertThat(c.subset()).isNull();
        }
    }

    @Test
    void aSubsetWithoutEndpointsClosesWithUHAndAnUnknownHostWithNC() throws Exception {
        String vs = TcpConfigs.echoRules("""
                  - match: [{port: 9000}]
                    route: [{destination: {host: echo, port: {number: 9000}, subset: v2}}]
                  - match: [{port: 9001}]
                    route: [{destination: {host: nowhere, port: {number: 9000}}}]
                """);
        IstioConfig config = TcpConfigs.load(TcpConfigs.echoService("TCP", "", "v1") + TcpConfigs.subsets("") + vs,
                Map.of("v1", v1.port()));
        try (MeshProxy proxy = MeshProxy.builder().config(config).start()) {
            try (Socket s = TcpClient.connect(proxy.serviceAddress("echo:9000"))) {
                assertThat(TcpClient.closedWithoutData(s)).isTrue();
            }
            try (Socket s = TcpClient.connect(proxy.serviceAddress("echo:9001"))) {
                assertThat(TcpClient.closedWithoutData(s)).isTrue();
            }
            List<Connection> log = TcpConfigs.awaitConnections(proxy, 2);
            assertThat(log).extracting(Connection::endReason).containsExactlyInAnyOrder(EndReason.NO_HEALTHY_UPSTREAM, EndReason.NO_ROUTE);
            assertThat(log).flatExtracting(c -> List.copyOf(c.flags())).containsExactlyInAnyOrder(ResponseFlag.UH, ResponseFlag.NC);
        }
    }

    @Test
    void updateConfigRoutesNewConnectionsByTheNewRulesAndKeepsOpenOnes() throws Exception {
        try (MeshProxy proxy = MeshProxy.builder().config(config("", "", SPLIT_80_20.replace("80", "100").replace("weight: 20", "weight: 0"))).start()) {
            try (Socket open = TcpClient.connect(proxy.serviceAddress("echo:9000"))) {
                open.getOutputStream().write("first\n".getBytes());
                assertThat(new String(open.getInputStream().readNBytes(10))).isEqualTo("one first\n");
                proxy.updateConfig(config("", "", SPLIT_80_20.replace("weight: 80", "weight: 0").replace("20", "100")));
                assertThat(TcpClient.exchange(proxy.serviceAddress("echo:9000"), "new\n")).isEqualTo("two new\n");
                open.getOutputStream().write("again\n".getBytes());
                assertThat(new String(open.getInputStream().readNBytes(10))).isEqualTo("one again\n");
            }
        }
    }
}
