package dev.meshunit.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.meshunit.MeshProxy;
import dev.meshunit.config.IstioConfig;
import dev.meshunit.config.load.ConfigLoader;
import dev.meshunit.journal.Connection;
import dev.meshunit.journal.ResponseFlag;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * A real client (Jedis) and real servers (two redis-server processes, "blue" and "green") behind a
 * VirtualService {@code tcp:} route: a blue/green switch moves new connections and leaves open ones where
 * they are, and {@code maxConnections} refuses the connection over the limit. Skipped without redis-server.
 */
class RedisTcpRouteTest {
    static final List<Process> servers = new ArrayList<>();
    static int blue;
    static int green;

    @BeforeAll
    static void startRedis() throws Exception {
        Path redis = onPath("redis-server");
        assumeTrue(redis != null, "redis-server is not on PATH");
        blue = start(redis);
        green = start(redis);
        try (Jedis b = new Jedis("127.0.0.1", blue); Jedis g = new Jedis("127.0.0.1", green)) {
            b.set("colour", "blue");
            g.set("colour", "green");
        }
    }

    @AfterAll
    static void stopRedis() throws InterruptedException {
        for (Process p : servers) {
            p.destroy();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    static IstioConfig config(String to, String pool) {
        String yaml = """
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: redis}
                spec:
                  hosts: [redis]
                  location: MESH_INTERNAL
                  resolution: STATIC
                  ports: [{number: 6379, name: redis, protocol: REDIS}]
                  endpoints:
                  - {address: 127.0.0.1, ports: {redis: ${blue}}, labels: {colour: blue}}
                  - {address: 127.0.0.1, ports: {redis: ${green}}, labels: {colour: green}}
                ---
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: redis}
                spec:
                  host: redis
                  trafficPolicy: {connectionPool: {tcp: {maxConnections: %s}}}
                  subsets: [{name: blue, labels: {colour: blue}}, {name: green, labels: {colour: green}}]
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: redis}
                spec:
                  hosts: [redis]
                  tcp:
                  - route: [{destination: {host: redis, subset: %s}}]
                """.formatted(pool, to);
        return ConfigLoader.create().withPlaceholders(Map.of("blue", "" + blue, "green", "" + green)::get)
                .loadString("redis.yaml", yaml).orThrow();
    }

    @Test
    void aBlueGreenSwitchMovesNewConnectionsOnly() {
        try (MeshProxy proxy = MeshProxy.builder().config(config("blue", "100")).start()) {
            InetSocketAddress redis = proxy.serviceAddress("redis:6379");
            try (Jedis before = new Jedis(redis.getHostString(), redis.getPort())) {
                assertThat(before.get("colour")).isEqualTo("blue");
                proxy.updateConfig(config("green", "100"));
                try (Jedis after = new Jedis(redis.getHostString(), redis.getPort())) {
                    assertThat(after.get("colour")).isEqualTo("green");
                }
                assertThat(before.get("colour")).as("an open connection keeps its upstream").isEqualTo("blue");
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> proxy.journal().connections().all().size() == 2);
            assertThat(proxy.journal().connections().all()).extracting(Connection::subset).containsExactlyInAnyOrder("green", "blue");
            assertThat(proxy.journal().connections().all()).allSatisfy(c -> assertThat(c.bytesToClient()).isPositive());
        }
    }

    @Test
    void theConnectionOverMaxConnectionsIsRefused() {
        try (MeshProxy proxy = MeshProxy.builder().config(config("blue", "1")).start()) {
            InetSocketAddress redis = proxy.serviceAddress("redis:6379");
            try (Jedis first = new Jedis(redis.getHostString(), redis.getPort());
                 Jedis second = new Jedis(redis.getHostString(), redis.getPort())) {
                assertThat(first.ping()).isEqualTo("PONG");
                assertThatThrownBy(second::ping).isInstanceOf(JedisConnectionException.class);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> proxy.journal().connections().all().size() == 2);
            assertThat(proxy.journal().connections().all()).filteredOn(c -> c.hasFlag(ResponseFlag.UO)).hasSize(1);
        }
    }

    private static int start(Path redis) throws IOException {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        servers.add(new ProcessBuilder(redis.toString(), "--port", "" + port, "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "no").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
        int p = port;
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
            try (Jedis j = new Jedis("127.0.0.1", p)) {
                return j.ping().equals("PONG");
            }
        });
        return port;
    }

    private static Path onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) return p;
        }
        return null;
    }
}
