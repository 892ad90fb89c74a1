package dev.meshunit.examples;

import com.sun.net.httpserver.HttpServer;
import dev.meshunit.MeshProxy;
import dev.meshunit.config.IstioConfig;
import dev.meshunit.config.load.ConfigLoader;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bookinfo's services as in-process backends that answer with their name and version, and Istio's sample
 * configs (../shared/istio-samples) applied on top of ServiceEntries that point at them.
 */
final class Bookinfo implements AutoCloseable {
    /** One backend: answers {@code service-version}, optionally after a delay, and counts its calls. */
    static final class Backend {
        final String name;
        final HttpServer server;
        final AtomicInteger calls = new AtomicInteger();
        final AtomicLong delayMs = new AtomicLong();

        Backend(String name, ExecutorService executor) throws IOException {
            this.name = name;
            this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
            server.createContext("/", ex -> {
                calls.incrementAndGet();
                ex.getRequestBody().readAllBytes();
                long d = delayMs.get();
                if (d > 0) {
                    try {
                        Thread.sleep(d);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                byte[] body = name.getBytes(StandardCharsets.UTF_8);
                try {
                    ex.sendResponseHeaders(200, body.length);
                    try (OutputStream out = ex.getResponseBody()) {
                        out.write(body);
                    }
                } catch (IOException abandoned) {
                    // the proxy timed out and closed the connection
                }
            });
            server.setExecutor(executor);
            server.start();
        }
    }

    static final List<String> NAMES = List.of("reviews-v1", "reviews-v2", "reviews-v3", "ratings-v1", "details-v1",
            "productpage-v1");

    private final ExecutorService executor = Executors.newCachedThreadPool();
    final Map<String, Backend> backends = new LinkedHashMap<>();

    Bookinfo() {
        try {
            for (String n : NAMES) backends.put(n, new Backend(n, executor));
        } catch (IOException e) {
            close();
            throw new UncheckedIOException(e);
        }
    }

    Backend backend(String name) {
        return backends.get(name);
    }

    /** The samples folder, or null when this checkout has none beside it. */
    static Path samples() {
        String p = System.getProperty("meshunit.samples", "../shared/istio-samples");
        Path path = Path.of(p);
        return Files.isDirectory(path) ? path : null;
    }

    /** The ServiceEntries with this run's ports, then each sample file applied in order as kubectl would. */
    IstioConfig config(String... sampleFiles) {
        ConfigLoader loader = ConfigLoader.create().applyInOrder().withPlaceholders(
                n -> backends.containsKey(n) ? Integer.toString(backends.get(n).server.getAddress().getPort()) : null);
        Path[] paths = new Path[sampleFiles.length + 1];
        try {
            paths[0] = Path.of(Bookinfo.class.getResource("/bookinfo/services.yaml").toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        for (int i = 0; i < sampleFiles.length; i++) paths[i + 1] = samples().resolve(sampleFiles[i]);
        return loader.load(paths).orThrow();
    }

    static HttpClient client(MeshProxy proxy) {
        return HttpClient.newBuilder().proxy(ProxySelector.of(proxy.address())).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** GET {@code http://host:9080/path} through the proxy as {@code user} (null: anonymous). */
    static HttpResponse<String> get(HttpClient client, String host, String user) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + host + ":9080/")).timeout(Duration.ofSeconds(20));
        if (user != null) b.header("end-user", user);
        try {
            return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        backends.values().forEach(b -> b.server.stop(0));
        executor.shutdownNow();
    }
}
