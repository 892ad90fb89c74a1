package dev.meshunit.examples.storefront;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import redis.clients.jedis.JedisPooled;

/**
 * A product page service: {@code GET /products/ID} counts the view in Redis and asks the ratings service for the
 * product's stars. With {@code RATINGS_FALLBACK=true} (the default) a slow or failing ratings service is cut off
 * after {@code RATINGS_TIMEOUT_MS} and the page is served with the last rating it saw (kept in Redis), marked
 * {@code "ratingsSource": "cache"}; with {@code false} the page fails with 503 instead.
 * <p>
 * Environment: {@code PORT} (8080), {@code RATINGS_URL} (http://ratings:9080), {@code REDIS_HOST} (redis),
 * {@code REDIS_PORT} (6379). HTTP calls honour the JVM's {@code http.proxyHost}/{@code http.proxyPort}, which is
 * how a container sends them through MeshUnit.
 */
public final class Storefront {
    private final HttpClient http;
    private final JedisPooled redis;
    private final URI ratings;
    private final Duration ratingsTimeout;
    private final boolean fallback;

    Storefront(URI ratings, JedisPooled redis, Duration ratingsTimeout, boolean fallback) {
        this.http = HttpClient.newBuilder().proxy(ProxySelector.getDefault()).connectTimeout(Duration.ofSeconds(2))
                .version(HttpClient.Version.HTTP_1_1).build();
        this.redis = redis;
        this.ratings = ratings;
        this.ratingsTimeout = ratingsTimeout;
        this.fallback = fallback;
    }

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(env("PORT", "8080"));
        JedisPooled redis = new JedisPooled(env("REDIS_HOST", "redis"), Integer.parseInt(env("REDIS_PORT", "6379")));
        Storefront app = new Storefront(URI.create(env("RATINGS_URL", "http://ratings:9080")), redis,
                Duration.ofMillis(Long.parseLong(env("RATINGS_TIMEOUT_MS", "500"))),
                Boolean.parseBoolean(env("RATINGS_FALLBACK", "true")));
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 128);
        server.setExecutor(Executors.newFixedThreadPool(32));
        server.createContext("/health", ex -> answer(ex, 200, "{\"status\":\"up\"}"));
        server.createContext("/products/", app::product);
        server.start();
        System.out.println("storefront listening on " + port + " (ratings fallback " + (app.fallback ? "on" : "off") + ")");
    }

    private void product(HttpExchange ex) throws IOException {
        String id = ex.getRequestURI().getPath().substring("/products/".length());
        if (!id.matches("[0-9]{1,9}")) {
            answer(ex, 404, "{\"error\":\"no such product\"}");
            return;
        }
        long views;
        try {
            views = redis.incr("views:" + id);
        } catch (RuntimeException e) {
            answer(ex, 503, "{\"error\":\"redis: " + json(e.getMessage()) + "\"}");
            return;
        }
        String stars;
        String source = "live";
        try {
            stars = liveRating(id);
            redis.set("rating:" + id, stars);
        } catch (IOException | RuntimeException e) {
            if (!fallback) {
                answer(ex, 503, "{\"error\":\"ratings: " + json(String.valueOf(e.getMessage())) + "\"}");
                return;
            }
            stars = redis.get("rating:" + id);
            source = stars == null ? "none" : "cache";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            answer(ex, 503, "{\"error\":\"interrupted\"}");
            return;
        }
        answer(ex, 200, "{\"id\":" + id + ",\"title\":\"Product " + id + "\",\"views\":" + views + ",\"ratings\":"
                + (stars == null ? "null" : stars) + ",\"ratingsSource\":\"" + source + "\"}");
    }

    /** The ratings service's JSON for the product; a status other than 200 or a timeout is a failure. */
    private String liveRating(String id) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(ratings.resolve("/ratings/" + id)).timeout(ratingsTimeout).build();
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new IOException("ratings answered " + r.statusCode());
        return r.body().strip();
    }

    private static void answer(HttpExchange ex, int status, String body) throws IOException {
        ex.getRequestBody().readAllBytes();
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String json(String s) {
        return s == null ? "" : s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
