package dev.meshunit.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import dev.meshunit.MeshProxy;
import dev.meshunit.config.IstioConfig;
import dev.meshunit.config.load.ConfigLoader;
import dev.meshunit.journal.Exchange;
import dev.meshunit.journal.ResponseFlag;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Istio's circuit-breaking and mirroring tasks, on httpbin, with Istio's own sample files. */
@org.junit.jupiter.api.parallel.Isolated
class HttpbinTasksTest {
    /** An httpbin stand-in: answers 200 with its version after {@code delayMs}, and logs the Host it saw. */
    record Httpbin(String name, HttpServer server, List<String> hosts) {
        static Httpbin start(String name, long delayMs, ExecutorService executor) throws Exception {
            List<String> hosts = new CopyOnWriteArrayList<>();
            HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
            s.createContext("/", ex -> {
                hosts.add(ex.getRequestHeaders().getFirst("Host"));
                ex.getRequestBody().readAllBytes();
                if (delayMs > 0) {
                    try {
                        Thread.sleep(delayMs);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                byte[] body = ("{\"version\":\"" + name + "\"}").getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(200, body.length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(body);
                }
            });
            s.setExecutor(executor);
            s.start();
            return new Httpbin(name, s, hosts);
        }

        int port() {
            return server.getAddress().getPort();
        }
    }

    static ExecutorService executor;
    static Httpbin v1;
    static Httpbin v2;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Bookinfo.samples() != null, "Istio's samples are not beside this checkout");
        executor = Executors.newCachedThreadPool();
        v1 = Httpbin.start("v1", 50, executor);
        v2 = Httpbin.start("v2", 0, executor);
    }

    @AfterAll
    static void stop() {
        if (v1 != null) v1.server().stop(0);
        if (v2 != null) v2.server().stop(0);
        if (executor != null) executor.shutdownNow();
    }

    static IstioConfig config(String... samples) throws Exception {
        Path[] paths = new Path[samples.length + 1];
        paths[0] = Path.of(HttpbinTasksTest.class.getResource("/httpbin/services.yaml").toURI());
        for (int i = 0; i < samples.length; i++) paths[i + 1] = Bookinfo.samples().resolve(samples[i]);
        return ConfigLoader.create().applyInOrder()
                .withPlaceholders(Map.of("httpbin-v1", "" + v1.port(), "httpbin-v2", "" + v2.port())::get)
                .load(paths).orThrow();
    }

    static HttpResponse<String> get(HttpClient client, String path) {
        return client.sendAsync(HttpRequest.newBuilder(URI.create("http://httpbin:8000" + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).join();
    }

    /** {@code n} requests from {@code concurrency} callers at once, like fortio's {@code -c C -n N}. */
    static List<HttpResponse<String>> load(HttpClient client, int concurrency, int n) {
        List<HttpResponse<String>> all = new ArrayList<>();
        for (int sent = 0; sent < n; sent += concurrency) {
            List<CompletableFuture<HttpResponse<String>>> wave = new ArrayList<>();
            for (int i = 0; i < concurrency && sent + i < n; i++) {
                wave.add(CompletableFuture.supplyAsync(() -> get(client, "/get"), executor));
            }
            wave.forEach(f -> all.add(f.join()));
        }
        return all;
    }

    @Test
    void circuitBreakingTask() throws Exception {
        try (MeshProxy proxy = MeshProxy.builder()
                .config(config("istio.io-tasks/circuit-breaking-httpbin-destinationrule.yaml")).seed(3).start()) {
            HttpClient client = HttpClient.newBuilder().proxy(ProxySelector.of(proxy.address())).build();
            HttpResponse<String> one = get(client, "/get");
            assertThat(one.statusCode()).isEqualTo(200);
            assertThat(one.headers().firstValue("server")).hasValue("envoy");
            assertThat(one.headers().firstValue("x-envoy-upstream-service-time")).isPresent();

            assertThat(load(client, 1, 10)).as("one caller never trips the breaker").allMatch(r -> r.statusCode() == 200);
            proxy.journal().reset();
            List<HttpResponse<String>> three = load(client, 3, 30);
            long overflowed = three.stream().filter(r -> r.statusCode() == 503).count();
            assertThat(overflowed).as("three callers against 1 connection + 1 pending").isPositive();
            assertThat(three).filteredOn(r -> r.statusCode() == 503).allSatisfy(r -> {
                assertThat(r.headers().firstValue("x-envoy-overloaded")).hasValue("true");
                assertThat(r.body()).isEqualTo("upstream connect error or disconnect/reset before headers. reset reason: overflow");
            });
            List<Exchange> overflows = proxy.journal().select(e -> e.status() == 503);
            assertThat(overflows).hasSize((int) overflowed)
                    .allSatisfy(e -> {
                        assertThat(e.flags()).contains(ResponseFlag.UO);
                        assertThat(e.attempts()).as("no upstream exchange").isEmpty();
                    });
        }
    }

    @Test
    void mirroringTask() throws Exception {
        try (MeshProxy proxy = MeshProxy.builder().config(config("istio.io-tasks/mirroring-httpbin-v1-only.yaml")).start()) {
            HttpClient client = HttpClient.newBuilder().proxy(ProxySelector.of(proxy.address())).build();
            int v2Before = v2.hosts().size();
            HttpResponse<String> r = get(client, "/headers");
            assertThat(r.body()).contains("v1");
            assertThat(v2.hosts()).as("v2 logs nothing").hasSize(v2Before);

            proxy.updateConfig(config("istio.io-tasks/mirroring-httpbin-v1-only.yaml",
                    "istio.io-tasks/mirroring-httpbin-mirror-v2.yaml"));
            for (int i = 0; i < 5; i++) assertThat(get(client, "/headers").body()).contains("v1");
            await().atMost(Duration.ofSeconds(5)).until(() -> v2.hosts().size() == v2Before + 5);
            assertThat(v2.hosts().subList(v2Before, v2Before + 5)).containsOnly("httpbin-shadow:8000");
            await().atMost(Duration.ofSeconds(5)).until(() -> proxy.journal().shadows().all().size() == 5);
        }
    }
}
