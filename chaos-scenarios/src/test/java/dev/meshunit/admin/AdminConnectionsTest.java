package dev.meshunit.admin;

import static dev.meshunit.tcp.TcpConfigs.awaitConnections;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshunit.MeshProxy;
import dev.meshunit.tcp.TcpConfigs;
import dev.meshunit.journal.Connection;
import dev.meshunit.testing.RawHttp;
import dev.meshunit.testing.TcpClient;
import dev.meshunit.testing.TcpEcho;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Proxied connections in the journal: listeners, reset, and the admin API's {@code /journal/connections} and {@code /stats}. */
class AdminConnectionsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void connectionsAreServedAsJsonCountedInStatsAndClearedByReset() throws Exception {
        try (TcpEcho echo = new TcpEcho("one");
             MeshProxy proxy = MeshProxy.builder().config(TcpConfigs.load(TcpConfigs.echoService("TCP", "", "v1"),
                     Map.of("v1", echo.port()))).start();
             AdminServer admin = AdminServer.builder(proxy).start()) {
            List<Connection> seen = new ArrayList<>();
            Runnable stop = proxy.journal().connections().onRecord(seen::add);
            TcpClient.exchange(proxy.serviceAddress("echo:9000"), "a\n");
            awaitConnections(proxy, 1); // connections are journalled as they end: keep the order known
            TcpClient.exchange(proxy.serviceAddress("echo:9001"), "bb\n");
            awaitConnections(proxy, 2);
            stop.run();
            assertThat(seen).hasSize(2);

            JsonNode all = JSON.readTree(RawHttp.get(admin.port(), "admin", "/journal/connections").body());
            assertThat(all).hasSize(2);
            JsonNode last = JSON.readTree(RawHttp.get(admin.port(), "admin", "/journal/connections?limit=1").body()).get(0);
            assertThat(last.get("listener").asText()).isEqualTo("echo:9001");
            assertThat(last.get("route").asText()).isEqualTo("default:echo.default.svc.cluster.local");
            assertThat(last.get("destination").get("port").asInt()).isEqualTo(9001);
            assertThat(last.get("endpoint").asText()).isEqualTo("127.0.0.1:" + echo.port());
            assertThat(last.get("bytesFromClient").asLong()).isEqualTo(3);
            assertThat(last.get("bytesToClient").asLong()).isEqualTo(7);
            assertThat(last.get("endReason").asText()).isEqualTo("CLIENT_CLOSE");
            assertThat(last.get("flags")).isEmpty();
            assertThat(last.get("sni").isNull()).isTrue();

            JsonNode stats = JSON.readTree(RawHttp.get(admin.port(), "admin", "/stats").body());
            assertThat(stats.get("connections").get("recorded").asLong()).isEqualTo(2);

            assertThat(proxy.serviceAddresses()).containsKeys("echo:9000", "echo:9001");
            try (RawHttp raw = new RawHttp(admin.port())) {
                assertThat(raw.send("POST", "admin", "/journal/reset", "").status()).isEqualTo(204);
            }
            assertThat(proxy.journal().connections().all()).isEmpty();
            assertThat(proxy.journal().connections().recorded()).isZero();
        }
    }
}
