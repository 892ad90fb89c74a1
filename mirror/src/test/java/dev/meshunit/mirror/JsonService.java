package dev.meshunit.mirror;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/** A service on 127.0.0.1 whose answer to a path is {@code body.apply(path)}, as JSON (or text if it is not). */
final class JsonService implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();

    JsonService(Function<String, String> body) {
        this(200, body);
    }

    JsonService(int status, Function<String, String> body) {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 128);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", ex -> {
            ex.getRequestBody().readAllBytes();
            String out = body.apply(ex.getRequestURI().getPath());
            byte[] bytes = out.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", out.startsWith("{") ? "application/json" : "text/plain");
            ex.getResponseHeaders().set("Date-Ish", Long.toString(System.nanoTime()));
            ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(bytes);
            }
        });
        server.setExecutor(executor);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
