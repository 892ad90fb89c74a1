package dev.meshunit.testing;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/** A real HTTP backend on 127.0.0.1 that records what it received and answers as scripted. */
public final class TestBackend implements AutoCloseable {
    /** What the backend saw of one request. */
    public record Received(String method, String path, Map<String, List<String>> headers, String body) {
        public String header(String name) {
            List<String> v = headers.get(name.toLowerCase());
            return v == null ? null : v.get(0);
        }
    }

    /** A scripted answer; {@code delayMs} is waited before answering. */
    public record Reply(int status, String body, long delayMs, Map<String, String> headers) {
        public static Reply ok(String body) {
            return new Reply(200, body, 0, Map.of());
        }

        public static Reply status(int status) {
            return new Reply(status, "status " + status, 0, Map.of());
        }

        public Reply delayed(long ms) {
            return new Reply(status, body, ms, headers);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger count = new AtomicInteger();
    private volatile Function<Integer, Reply> script;
    private final String name;

    private TestBackend(String name, Function<Integer, Reply> script) throws IOException {
        this.name = name;
        this.script = script;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 128);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** A backend that answers 200 with its name as body. */
    public static TestBackend named(String name) {
        return scripted(name, n -> Reply.ok(name));
    }

    /** A backend whose n-th request (1-based) gets {@code script.apply(n)}. */
    public static TestBackend scripted(String name, Function<Integer, Reply> script) {
        try {
            return new TestBackend(name, script);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public void script(Function<Integer, Reply> script) {
        this.script = script;
    }

    private void handle(HttpExchange ex) throws IOException {
        int n = count.incrementAndGet();
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, List<String>> headers = new TreeMap<>();
        for (Map.Entry<String, List<String>> e : ex.getRequestHeaders().entrySet()) {
            headers.put(e.getKey().toLowerCase(), List.copyOf(e.getValue()));
        }
        String path = ex.getRequestURI().getRawPath()
                + (ex.getRequestURI().getRawQuery() == null ? "" : "?" + ex.getRequestURI().getRawQuery());
        received.add(new Received(ex.getRequestMethod(), path, headers, body));
        Reply reply = script.apply(n);
        if (reply.delayMs() > 0) {
            try {
                Thread.sleep(reply.delayMs());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Headers h = ex.getResponseHeaders();
        reply.headers().forEach(h::add);
        h.set("x-backend", name);
        byte[] out = reply.body().getBytes(StandardCharsets.UTF_8);
        try {
            ex.sendResponseHeaders(reply.status(), out.length == 0 ? -1 : out.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(out);
            }
        } catch (IOException e) {
            // the proxy gave up on this request (timeout): nothing to answer
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String name() {
        return name;
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    public int count() {
        return count.get();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
