package dev.meshunit.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * An upstream on 127.0.0.1 that speaks raw TCP, so that a test decides every byte it sends back: a proper
 * answer, garbage, a reset, half a body. It counts the connections it accepted and those the proxy closed,
 * and records every request it read. Each connection is served by {@link Script} on its own thread.
 */
public final class RawUpstream implements AutoCloseable {
    /** What the upstream does with one accepted connection. */
    @FunctionalInterface
    public interface Script {
        void serve(Conn conn) throws IOException;
    }

    /** A request as the upstream read it; header names are lower-case. */
    public record Request(String method, String target, String version, Map<String, List<String>> headers, byte[] body) {
        public String header(String name) {
            List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
            return v == null ? null : v.get(0);
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final ServerSocket server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "raw-upstream");
        t.setDaemon(true);
        return t;
    });
    private final Script script;
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger closedByPeer = new AtomicInteger();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();

    private RawUpstream(Script script) throws IOException {
        this.script = script;
        this.server = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
        executor.execute(this::acceptLoop);
    }

    public static RawUpstream start(Script script) {
        try {
            return new RawUpstream(script);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Answers every request on a connection with {@code response.apply(request)}, raw bytes, until the peer closes. */
    public static RawUpstream answering(Function<Request, String> response) {
        return start(c -> {
            Request r;
            while ((r = c.read()) != null) {
                c.write(response.apply(r));
            }
        });
    }

    /** An HTTP/1.1 response with a Content-Length body. */
    public static String ok(String body) {
        return "HTTP/1.1 200 OK\r\nContent-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                return;
            }
            accepted.incrementAndGet();
            open.add(s);
            if (!serve(s)) return;
        }
    }

    /** False when the upstream is closing: a connection accepted as it closes is closed, not served. */
    private boolean serve(Socket s) {
        try {
            executor.execute(() -> {
                try (Conn c = new Conn(s)) {
                    script.serve(c);
                } catch (IOException e) {
                    // the proxy went away, or the script reset the connection
                } finally {
                    open.remove(s);
                }
            });
            return true;
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            open.remove(s);
            try {
                s.close();
            } catch (IOException ignored) {
                // already gone
            }
            return false;
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Connections accepted so far. */
    public int connections() {
        return accepted.get();
    }

    /** Connections on which a read saw the proxy close (end of stream or reset). */
    public int closedByPeer() {
        return closedByPeer.get();
    }

    /** Connections still open on this side. */
    public int openConnections() {
        return open.size();
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing a test server
        }
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing a test socket
            }
        }
        executor.shutdownNow();
    }

    /** One accepted connection. */
    public final class Conn implements AutoCloseable {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;
        private boolean peerClosed;

        Conn(Socket socket) throws IOException {
            this.socket = socket;
            socket.setSoTimeout(30_000);
            socket.setTcpNoDelay(true);
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
        }

        /** Reads one request, or returns null when the proxy closed the connection first. */
        public Request read() throws IOException {
            return read(true);
        }

        /** Reads a request head and leaves its body unread (recorded with an empty body). */
        public Request readHead() throws IOException {
            return read(false);
        }

        private Request read(boolean withBody) throws IOException {
            String requestLine;
            try {
                requestLine = line();
                while (requestLine != null && requestLine.isEmpty()) requestLine = line();
            } catch (SocketException e) {
                peerClosed();
                return null;
            }
            if (requestLine == null) {
                peerClosed();
                return null;
            }
            String[] parts = requestLine.split(" ", 3);
            Map<String, List<String>> headers = new LinkedHashMap<>();
            String l;
            while ((l = line()) != null && !l.isEmpty()) {
                int colon = l.indexOf(':');
                headers.computeIfAbsent(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                        .add(l.substring(colon + 1).trim());
            }
            byte[] body = withBody ? readBody(headers) : new byte[0];
            Request r = new Request(parts[0], parts[1], parts.length > 2 ? parts[2] : "", headers, body);
            requests.add(r);
            return r;
        }

        private byte[] readBody(Map<String, List<String>> headers) throws IOException {
            List<String> te = headers.get("transfer-encoding");
            if (te != null && te.get(0).equalsIgnoreCase("chunked")) return HttpWire.chunkedBody(in);
            List<String> cl = headers.get("content-length");
            return cl == null ? new byte[0] : in.readNBytes(Integer.parseInt(cl.get(0)));
        }

        /** Waits until the proxy closes the connection; true when it did within the socket timeout. */
        public boolean awaitPeerClose() {
            try {
                while (in.read() != -1) { /* discard */ }
                peerClosed();
                return true;
            } catch (SocketException e) {
                peerClosed();
                return true;
            } catch (IOException e) {
                return false;
            }
        }

        private void peerClosed() {
            if (!peerClosed) {
                peerClosed = true;
                closedByPeer.incrementAndGet();
            }
        }

        public void write(String raw) throws IOException {
            write(raw.getBytes(StandardCharsets.ISO_8859_1));
        }

        public void write(byte[] raw) throws IOException {
            out.write(raw);
            out.flush();
        }

        /** Closes with a TCP RST instead of a FIN. */
        public void reset() throws IOException {
            socket.setSoLinger(true, 0);
            socket.close();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }

        private String line() throws IOException {
            return HttpWire.line(in);
        }
    }
}
