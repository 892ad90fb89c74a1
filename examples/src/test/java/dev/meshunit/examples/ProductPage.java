package dev.meshunit.examples;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.meshunit.junit.StubAnswer;
import dev.meshunit.junit.StubBackend;
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
import java.time.Duration;

/**
 * The service under test: {@code GET /product/{id}} calls {@code details} and then {@code reviews} through its
 * sidecar (the proxy), each with a time budget. Reviews have a fallback ("reviews unavailable"); details have
 * none, so a details failure fails the page with 502. That missing fallback is what fault exploration finds.
 */
final class ProductPage implements AutoCloseable {
    private final HttpServer server;
    private final HttpClient sidecar;
    private final Duration budget;

    private ProductPage(ProxySelector sidecar, Duration budget) throws IOException {
        this.sidecar = HttpClient.newBuilder().proxy(sidecar).build();
        this.budget = budget;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.createContext("/product/", this::product);
        server.start();
    }

    static ProductPage start(ProxySelector sidecar, Duration budget) {
        try {
            return new ProductPage(sidecar, budget);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    private void product(HttpExchange ex) throws IOException {
        String id = ex.getRequestURI().getPath().substring("/product/".length());
        String details;
        try {
            details = call("http://details:9080/details/" + id);
        } catch (IOException | InterruptedException e) {
            answer(ex, 502, "{\"error\": \"details: " + e.getClass().getSimpleName() + " " + e.getMessage() + "\"}");
            return;
        }
        String reviews;
        try {
            reviews = call("http://reviews:9080/reviews/" + id);
        } catch (IOException | InterruptedException e) {
            reviews = "reviews unavailable";
        }
        answer(ex, 200, "{\"details\": \"" + details + "\", \"reviews\": \"" + reviews + "\"}");
    }

    /** The body of a 200; any other status, a timeout or a connection failure is an IOException. */
    private String call(String url) throws IOException, InterruptedException {
        HttpResponse<String> r = sidecar.send(HttpRequest.newBuilder(URI.create(url)).timeout(budget).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new IOException(url + " answered " + r.statusCode());
        return r.body();
    }

    private static void answer(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("content-type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    /** A dependency that answers {@code body} to everything. */
    static StubBackend dependency(String label, String body) {
        return StubBackend.builder().label(label).otherwise(StubAnswer.ok(body)).start();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
