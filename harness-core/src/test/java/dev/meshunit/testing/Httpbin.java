package dev.meshunit.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Enough of httpbin for Istio's tasks: {@code GET /headers} answers {@code {"headers": {...}}} with the
 * request's headers, as httpbin does, and every request lands in {@link #log()} like the access log the
 * tasks read with {@code kubectl logs}.
 */
public final class Httpbin implements AutoCloseable {
    /** One access-log line: method, path and Host. */
    public record LogLine(String method, String path, String host) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<LogLine> log = new CopyOnWriteArrayList<>();

    public Httpbin() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 128);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    private void handle(HttpExchange ex) throws IOException {
        ex.getRequestBody().readAllBytes();
        log.add(new LogLine(ex.getRequestMethod(), ex.getRequestURI().getRawPath(), ex.getRequestHeaders().getFirst("Host")));
        Map<String, String> headers = new TreeMap<>();
        ex.getRequestHeaders().forEach((k, v) -> headers.put(k, String.join(",", v)));
        byte[] out = ex.getRequestURI().getPath().equals("/headers")
                ? JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(Map.of("headers", headers))
                : new byte[0];
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(200, out.length == 0 ? -1 : out.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(out);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public List<LogLine> log() {
        return List.copyOf(log);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
