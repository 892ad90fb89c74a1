package dev.meshunit.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import eu.rekawek.toxiproxy.model.toxic.ResetPeer;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.CommandObjects;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.executors.RetryableCommandExecutor;
import redis.clients.jedis.providers.PooledConnectionProvider;

/** A real redis-server behind the toxic proxy, driven by Jedis; skipped when redis-server is not on PATH. */
@ExtendWith(NettyLeakCheck.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisThroughToxicProxyTest {
    private Process redis;
    private int redisPort;
    private ToxicProxyServer proxies;
    private ToxiproxyApiServer api;
    private ToxiproxyClient client;

    @BeforeAll
    void startRedis() throws IOException {
        Path executable = findOnPath("redis-server");
        Assumptions.assumeTrue(executable != null, "redis-server is not on PATH");
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            redisPort = probe.getLocalPort();
        }
        redis = new ProcessBuilder(executable.toString(), "--port", String.valueOf(redisPort), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() -> {
            try (Jedis direct = new Jedis("127.0.0.1", redisPort)) {
                assertThat(direct.ping()).isEqualTo("PONG");
            }
        });
        proxies = ToxicProxyServer.builder().seed(3).build();
        api = ToxiproxyApiServer.start(new InetSocketAddress("127.0.0.1", 0), proxies);
        client = new ToxiproxyClient("127.0.0.1", api.port());
    }

    @AfterAll
    void stopRedis() throws InterruptedException {
        if (api != null) {
            api.close();
            proxies.close();
        }
        if (redis != null) {
            redis.destroy();
            redis.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static Path findOnPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private HostAndPort proxied(String name) throws IOException {
        Proxy proxy = client.createProxy(name, "127.0.0.1:0", "127.0.0.1:" + redisPort);
        return new HostAndPort("127.0.0.1", Integer.parseInt(proxy.getListen().split(":")[1]));
    }

    @Test
    void latencyMakesJedisSocketTimeoutFire() throws IOException {
        HostAndPort address = proxied("redis-latency");
        // Connecting (Jedis sends HELLO and CLIENT SETINFO) gets a generous timeout, so that a busy machine cannot
        // fail it; the 200 ms socket timeout under test is set once connected.
        JedisClientConfig config = DefaultJedisClientConfig.builder().socketTimeoutMillis(5000).build();
        try (Jedis jedis = new Jedis(address, config)) {
            assertThat(jedis.set("k", "v")).isEqualTo("OK");
            jedis.getConnection().setSoTimeout(200);
            client.getProxy("redis-latency").toxics().latency("slow", ToxicDirection.DOWNSTREAM, 5000);

            long start = System.nanoTime();
            assertThatThrownBy(() -> jedis.get("k"))
                    .isInstanceOf(JedisConnectionException.class)
                    .hasRootCauseInstanceOf(SocketTimeoutException.class);
            // Lower bound: the client's timeout; the generous upper bound still shows it fired long before the
            // 5 s latency would have delivered the answer.
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(190L, 4000L);
        }
        client.getProxy("redis-latency").toxics().get("slow").remove();
        try (Jedis jedis = new Jedis(address, config)) {
            assertThat(jedis.get("k")).isEqualTo("v");
        }
    }

    @Test
    @SuppressWarnings("deprecation") // the only UnifiedJedis constructor that takes an executor we can observe
    void resetPeerMakesJedisRetryOnANewConnection() throws IOException {
        HostAndPort address = proxied("redis-reset");
        JedisClientConfig config = DefaultJedisClientConfig.builder().socketTimeoutMillis(2000).build();
        PooledConnectionProvider provider = new PooledConnectionProvider(address, config);
        List<Throwable> retried = new ArrayList<>();
        RetryableCommandExecutor executor = new RetryableCommandExecutor(provider, 3, Duration.ofSeconds(10)) {
            @Override
            protected void sleep(long millis) {
                retried.add(new Throwable("retry after " + millis + " ms"));
                removeResetToxic();
                super.sleep(Math.min(millis, 50));
            }
        };
        try (UnifiedJedis jedis = new UnifiedJedis(executor, provider, new CommandObjects())) {
            assertThat(jedis.set("r", "1")).isEqualTo("OK");
            client.getProxy("redis-reset").toxics().resetPeer("reset", ToxicDirection.UPSTREAM, 0);

            assertThat(jedis.incr("r")).isEqualTo(2);

            assertThat(retried).hasSize(1);
        }
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(proxies.journal().connections("redis-reset"))
                .extracting(TcpConnectionRecord::endReason)
                .contains(EndReason.RESET_BY_TOXIC));
    }

    private void removeResetToxic() {
        try {
            ResetPeer reset = client.getProxy("redis-reset").toxics().get("reset", ResetPeer.class);
            reset.remove();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void resetPeerIsSeenByPlainJedisAsAConnectionReset() throws IOException {
        HostAndPort address = proxied("redis-plain-reset");
        client.getProxy("redis-plain-reset").toxics().resetPeer("reset", ToxicDirection.UPSTREAM, 0);
        JedisClientConfig config = DefaultJedisClientConfig.builder().socketTimeoutMillis(2000).build();
        assertThatThrownBy(() -> {
            try (Jedis jedis = new Jedis(address, config)) {
                jedis.ping();
            }
        }).isInstanceOf(JedisConnectionException.class)
                .hasRootCauseInstanceOf(SocketException.class)
                .rootCause().hasMessageContaining("reset");
    }
}
