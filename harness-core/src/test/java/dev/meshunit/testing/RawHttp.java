package dev.meshunit.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A deliberately simple HTTP/1.1 client over a plain socket, so that tests control every byte (Host header,
 * absolute URIs, malformed input) and see every byte of the answer.
 */
public final class RawHttp implements AutoCloseable {
    /** A parsed answer; header names are lower-case. */
    public record Response(int status, Map<String, String> headers, String body, long elapsedMs) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    public RawHttp(int port) {
        try {
            this.socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(20_000);
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One GET on a fresh connection. */
    public static Response get(int port, String host, String path, String... headerLines) {
        try (RawHttp c = new RawHttp(port)) {
            return c.send("GET", host, path, null, headerLines);
        }
    }

    public Response send(String method, String host, String path, String body, String... headerLines) {
        StringBuilder req = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n");
        if (host != null) req.append("Host: ").append(host).append("\r\n");
        for (String h : headerLines) req.append(h).append("\r\n");
        if (body != null) req.append("Content-Length: ").append(body.getBytes(StandardCharsets.UTF_8).length).append("\r\n");
        req.append("\r\n");
        if (body != null) req.append(body);
        return sendRaw(req.toString());
    }

    public Response sendRaw(String raw) {
        long start = System.nanoTime();
        try {
            out.write(raw.getBytes(StandardCharsets.UTF_8));
            out.flush();
            return read(start);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes bytes without waiting for an answer (pipelining, a body after 100 Continue). */
    public void write(String raw) {
        try {
            out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads the next answer; {@code toHead} says it answers a HEAD request, so has no body whatever it says. */
    public Response readResponse(boolean toHead) {
        try {
            return read(System.nanoTime(), toHead);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Response read(long start) throws IOException {
        return read(start, false);
    }

    private Response read(long start, boolean toHead) throws IOException {
        String statusLine = line();
        if (statusLine == null) throw new IOException("connection closed before a response");
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        String l;
        while ((l = line()) != null && !l.isEmpty()) {
            int colon = l.indexOf(':');
            headers.merge(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), l.substring(colon + 1).trim(),
                    (a, b) -> a + "," + b);
        }
        byte[] body;
        if (toHead) {
            body = new byte[0];
        } else if (headers.containsKey("content-length")) {
            body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = HttpWire.chunkedBody(in);
        } else if (status == 204 || status == 304 || status < 200) {
            body = new byte[0];
        } else {
            body = in.readAllBytes();
        }
        return new Response(status, headers, new String(body, StandardCharsets.UTF_8), (System.nanoTime() - start) / 1_000_000);
    }

    private String line() throws IOException {
        return HttpWire.line(in);
    }

    /** True when the proxy closed the connection (reads end of stream). */
    public boolean closedByPeer() {
        try {
            return in.read() == -1;
        } catch (IOException e) {
            return true;
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a test socket
        }
    }
}
