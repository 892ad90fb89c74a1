package dev.meshunit.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshunit.chaos.containers.ContainerPlaceholders;
import dev.meshunit.chaos.containers.ContainerProxy;
import dev.meshunit.chaos.containers.InProcessToxiproxy;
import dev.meshunit.chaos.containers.MeshSidecar;
import dev.meshunit.config.load.ConfigException;
import dev.meshunit.config.load.ConfigLoader;
import dev.meshunit.config.load.LoadResult;
import java.io.IOException;
import java.net.Socket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The container helpers' own logic, which needs no Docker: placeholders and the lifecycles. */
@ExtendWith(NettyLeakCheck.class)
class ContainerHelpersTest {
    private static final String ENTRY = """
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: db}
            spec:
              hosts: [db]
              ports: [{number: 5432, name: tcp-db, protocol: TCP}]
              resolution: STATIC
              endpoints:
              - {address: "${db.host}", ports: {tcp-db: "${db.port}"}}
              - {address: "${cache.host}", ports: {tcp-db: "${cache.port}"}}
            """;

    @Test
    void placeholdersResolveHostAndPortWhenTheConfigIsLoaded() {
        int[] port = {0};
        ContainerPlaceholders placeholders = ContainerPlaceholders.create().bind("db", () -> "127.0.0.1", () -> port[0]);
        port[0] = 32768;
        LoadResult result = ConfigLoader.create().withPlaceholders(placeholders).loadString("se.yaml", ENTRY);
        var endpoint = result.config().serviceEntries().get(0).endpoints().get(0);
        assertThat(endpoint.address()).isEqualTo("127.0.0.1");
        assertThat(endpoint.ports()).containsEntry("tcp-db", 32768);
        assertThat(result.errors()).extracting(p -> p.message())
                .containsExactly("unresolved placeholder ${cache.host}", "unresolved placeholder ${cache.port}");
        assertThatThrownBy(() -> placeholders.bind("db", () -> "::1", () -> 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("placeholder db is bound already");
    }

    @Test
    void sidecarStartsStopsAndReportsABadConfig() {
        MeshSidecar sidecar = MeshSidecar.builder().yaml("none.yaml", "").build();
        assertThatThrownBy(sidecar::proxy).hasMessage("MeshSidecar is not started");
        sidecar.start();
        sidecar.start();
        assertThat(sidecar.address().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
        sidecar.stop();
        sidecar.stop();
        assertThatThrownBy(sidecar::port).isInstanceOf(IllegalStateException.class);

        MeshSidecar broken = MeshSidecar.builder().yaml("se.yaml", ENTRY).build();
        assertThatThrownBy(broken::start).isInstanceOf(ConfigException.class).hasMessageContaining("${db.host}");
        assertThatThrownBy(broken::proxy).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void inProcessToxiproxyProxiesAnyHostPortAndClosesWithStop() throws IOException {
        InProcessToxiproxy toxiproxy = new InProcessToxiproxy();
        assertThatThrownBy(toxiproxy::getControlPort).hasMessage("InProcessToxiproxy is not started");
        try (TestServers.Upstream echo = TestServers.echo()) {
            toxiproxy.start();
            assertThat(toxiproxy.client().version()).contains("2.12.0");
            ContainerProxy proxy = toxiproxy.getProxy("127.0.0.1", echo.port());
            assertThat(proxy.getName()).isEqualTo(echo.address());
            assertThat(proxy.proxy().getListen()).isEqualTo("127.0.0.1:" + proxy.getProxyPort());
            try (Socket socket = new Socket(proxy.getHost(), proxy.getProxyPort())) {
                assertThat(TestServers.roundTripMillis(socket)).isLessThan(1_000);
            }
            assertThat(toxiproxy.server().journal().connections(proxy.getName())).hasSize(1);
        } finally {
            toxiproxy.stop();
            toxiproxy.stop();
        }
        assertThatThrownBy(toxiproxy::client).isInstanceOf(IllegalStateException.class);
    }
}
