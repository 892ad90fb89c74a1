package dev.meshunit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the CLI tests share: a backend, config files, an HTTP client, and the ready line's grammar. */
final class Fixtures {
    static final Pattern READY = Pattern.compile(
            "meshunit proxy listening on 127\\.0\\.0\\.1:(\\d+) admin 127\\.0\\.0\\.1:(\\d+)");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Fixtures() {}

    /** A backend on 127.0.0.1 that answers 200 with {@code name}; stop it with {@code stop(0)}. */
    static HttpServer backend(String name) {
        return serve(null, path -> name);
    }

    /** A backend on 127.0.0.1 that answers 200 with {@code body.apply(path)} as JSON; stop it with {@code stop(0)}. */
    static HttpServer jsonBackend(java.util.function.Function<String, String> body) {
        return serve("application/json", body);
    }

    private static HttpServer serve(String contentType, java.util.function.Function<String, String> body) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
            server.createContext("/", ex -> {
                ex.getRequestBody().readAllBytes();
                byte[] bytes = body.apply(ex.getRequestURI().getPath()).getBytes(StandardCharsets.UTF_8);
                if (contentType != null) ex.getResponseHeaders().set("Content-Type", contentType);
                ex.sendResponseHeaders(200, bytes.length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(bytes);
                }
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code users:9080} on two backends, subsets v1 and v2; every request goes to v1 and is mirrored to v2. */
    static String usersMirrored(int v1Port, int v2Port) {
        return """
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: users}
                spec:
                  hosts: [users]
                  location: MESH_INTERNAL
                  resolution: STATIC
                  ports: [{number: 9080, name: http, protocol: HTTP}]
                  endpoints:
                  - {address: 127.0.0.1, ports: {http: %d}, labels: {version: v1}}
                  - {address: 127.0.0.1, ports: {http: %d}, labels: {version: v2}}
                ---
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: users}
                spec:
                  host: users
                  subsets:
                  - {name: v1, labels: {version: v1}}
                  - {name: v2, labels: {version: v2}}
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: users}
                spec:
                  hosts: [users]
                  http:
                  - name: by-id
                    route: [{destination: {host: users, subset: v1}}]
                    mirror: {host: users, subset: v2}
                    mirrorPercentage: {value: 100}
                """.formatted(v1Port, v2Port);
    }

    /** A ServiceEntry {@code reviews:9080} on the backend, and a VirtualService that routes to it. */
    static String reviews(int backendPort) {
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
                  - {address: 127.0.0.1, ports: {http: %d}}
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: reviews}
                spec:
                  hosts: [reviews]
                  http:
                  - route: [{destination: {host: reviews}}]
                """.formatted(backendPort);
    }

    /** A VirtualService whose retries are negative, on line 9. */
    static final String BROKEN = """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: ratings}
            spec:
              hosts: [ratings]
              http:
              - route:
                - destination: {host: ratings}
                retries: {attempts: -1}
            """;

    static Path write(Path dir, String name, String text) {
        try {
            return Files.writeString(dir.resolve(name), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Matcher ready(String line) {
        Matcher m = READY.matcher(line);
        if (!m.matches()) throw new AssertionError("not the ready line: " + line);
        return m;
    }

    static HttpResponse<String> get(int port, String path) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET());
    }

    static HttpResponse<String> post(int port, String path, String body) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** Through the proxy: the JDK client will not set Host, so the proxy is used as a forward proxy. */
    static HttpResponse<String> viaProxy(int proxyPort, String authority, String path) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .proxy(java.net.ProxySelector.of(new InetSocketAddress("127.0.0.1", proxyPort))).build();
        try {
            // Generous: the first request through a freshly started process took over 10 s under flake-check's hog.
            return client.send(HttpRequest.newBuilder(URI.create("http://" + authority + path))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static HttpResponse<String> send(HttpRequest.Builder b) {
        try {
            return HTTP.send(b.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path samples() {
        return Path.of(System.getProperty("meshunit.samples", "/work/shared/istio-samples"));
    }
}
