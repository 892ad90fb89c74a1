package dev.meshunit.http2;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** A raw HTTP/2 client on a socket, for frames no well-behaved client sends: one frame at a time, by hand. */
final class H2Wire implements AutoCloseable {
    static final int DATA = 0, HEADERS = 1, RST_STREAM = 3, SETTINGS = 4, PING = 6, GOAWAY = 7, WINDOW_UPDATE = 8,
            CONTINUATION = 9;
    static final int END_STREAM = 0x1, END_HEADERS = 0x4;

    /** A frame the proxy sent. */
    record Frame(int type, int flags, int stream, byte[] payload) {
        int goawayError() {
            return (payload[4] & 0xff) << 24 | (payload[5] & 0xff) << 16 | (payload[6] & 0xff) << 8 | payload[7] & 0xff;
        }
    }

    final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private final DefaultHttp2HeadersEncoder hpack = new DefaultHttp2HeadersEncoder();

    /** Connects with a small receive buffer (so that a client that does not read fills up soon) and sends the preface. */
    H2Wire(int port, int receiveBuffer) throws IOException {
        socket = new Socket();
        if (receiveBuffer > 0) socket.setReceiveBufferSize(receiveBuffer);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        socket.setSoTimeout(20_000);
        out = new java.io.BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
        in = new java.io.BufferedInputStream(socket.getInputStream(), 64 * 1024);
        out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        frame(SETTINGS, 0, 0, new byte[0]);
    }

    static byte[] header(int length, int type, int flags, int stream) {
        return new byte[] {(byte) (length >>> 16), (byte) (length >>> 8), (byte) length, (byte) type, (byte) flags,
            (byte) (stream >>> 24), (byte) (stream >>> 16), (byte) (stream >>> 8), (byte) stream};
    }

    static byte[] frameBytes(int type, int flags, int stream, byte[] payload) {
        byte[] f = new byte[9 + payload.length];
        System.arraycopy(header(payload.length, type, flags, stream), 0, f, 0, 9);
        System.arraycopy(payload, 0, f, 9, payload.length);
        return f;
    }

    void frame(int type, int flags, int stream, byte[] payload) throws IOException {
        out.write(frameBytes(type, flags, stream, payload));
    }

    void write(byte[] bytes) throws IOException {
        out.write(bytes);
    }

    void flush() throws IOException {
        out.flush();
    }

    /** Flushes; false when the proxy has already closed the connection. */
    boolean tryFlush() {
        try {
            out.flush();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The HPACK block of a request for {@code authority} and {@code path}, plus extra headers (name, value...). */
    byte[] requestBlock(String method, String authority, String path, String... extra) {
        Http2Headers h = new DefaultHttp2Headers().method(method).scheme("http").authority(authority).path(path);
        for (int i = 0; i < extra.length; i += 2) h.add(extra[i], extra[i + 1]);
        ByteBuf buf = Unpooled.buffer();
        try {
            hpack.encodeHeaders(0, h, buf);
            return ByteBufUtil.getBytes(buf);
        } catch (Http2Exception e) {
            throw new IllegalStateException(e);
        } finally {
            buf.release();
        }
    }

    static byte[] u32(long v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    /** The next frame, or null at the end of the connection; fails when nothing comes within the socket timeout. */
    Frame read() throws IOException {
        byte[] h;
        try {
            h = in.readNBytes(9);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the proxy neither sent a frame nor closed the connection within 20 s", e);
        } catch (java.net.SocketException reset) {
            return null;
        }
        if (h.length < 9) return null;
        int length = (h[0] & 0xff) << 16 | (h[1] & 0xff) << 8 | h[2] & 0xff;
        int stream = (h[5] & 0x7f) << 24 | (h[6] & 0xff) << 16 | (h[7] & 0xff) << 8 | h[8] & 0xff;
        byte[] payload = in.readNBytes(length);
        if (payload.length < length) return null;
        return new Frame(h[3] & 0xff, h[4] & 0xff, stream, payload);
    }

    /** Reads until a GOAWAY (returned) or the end of the connection (null); bounded by {@code maxFrames}. */
    Frame awaitGoaway(int maxFrames) throws IOException {
        for (int i = 0; i < maxFrames; i++) {
            Frame f = read();
            if (f == null) return null;
            if (f.type() == GOAWAY) return f;
        }
        throw new AssertionError("no GOAWAY within " + maxFrames + " frames");
    }

    /** Reads until the proxy closes the connection; true if it did, bounded by {@code maxFrames}. */
    boolean drainToEnd(int maxFrames) throws IOException {
        for (int i = 0; i < maxFrames; i++) {
            if (read() == null) return true;
        }
        return false;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) b.writeBytes(p);
        return b.toByteArray();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
