package dev.meshunit.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshunit.MeshProxy;
import dev.meshunit.config.load.ConfigLoader;
import dev.meshunit.testing.RawHttp;
import dev.meshunit.testing.TestBackend;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** reviews v1 and v2 behind a proxy (every request to v1), its admin API, and a JDK client for both. */
final class AdminFixture implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final TestBackend v1 = TestBackend.named("v1");
    final TestBackend v2 = TestBackend.named("v2");
    final MeshProxy proxy;
    final AdminServer admin;

    AdminFixture() {
        proxy = MeshProxy.builder().config(ConfigLoader.create().loadString("reviews.yaml", entryAndSubsets() + route("v1")).orThrow())
                .seed(7).start();
        admin = AdminServer.builder(proxy).start();
    }

    String entryAndSubsets() {
        return """
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: reviews}
                spec:
                  hosts: [reviews]
                  location: MESH_INTERNAL
                  resolution: STATIC
                  ports: [{number: 9080, name: http, protocol: HTTP}]
                  endpoints:
                  - {address: 127.0.0.1, ports: {http: %d}, labels: {version: v1}}
                  - {address: 127.0.0.1, ports: {http: %d}, labels: {version: v2}}
                ---
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: reviews}
                spec:
                  host: reviews
                  subsets:
                  - {name: v1, labels: {version: v1}}
                  - {name: v2, labels: {version: v2}}
                ---
                """.formatted(v1.port(), v2.port());
    }

    static String route(String subset) {
        return """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: reviews}
                spec:
                  hosts: [reviews]
                  http:
                  - retries: {attempts: 0}
                    route: [{destination: {host: reviews, subset: %s}}]
                """.formatted(subset);
    }

    /** A request through the proxy to reviews. */
    RawHttp.Response call(String path, String... headers) {
        return RawHttp.get(proxy.port(), "reviews:9080", path, headers);
    }

    HttpResponse<String> admin(String method, String path, String body) {
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body);
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin.port() + path))
                .method(method, publisher).timeout(Duration.ofSeconds(10)).build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(HttpResponse<String> r) {
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        admin.close();
        proxy.close();
        v1.close();
        v2.close();
    }
}
