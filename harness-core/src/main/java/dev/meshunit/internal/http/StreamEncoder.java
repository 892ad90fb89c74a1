package dev.meshunit.internal.http;

import io.netty.buffer.ByteBuf;

/**
 * The downstream side of one stream, implemented by each connection manager for its codec: it frames the
 * answer (HTTP/1.1 or HTTP/2) and owns the connection's flow control.
 */
public interface StreamEncoder {
    /** The head of an answer whose body follows. */
    void encodeHeaders(ResponseHead head);

    /** Body; on {@code endStream} the answer is flushed and {@code whenWritten} runs once it left. Takes {@code data}. */
    void encodeData(ByteBuf data, boolean endStream, HeaderMap trailers, Runnable whenWritten);

    /** A whole answer the proxy made; {@code whenWritten} runs once it left. */
    void encodeLocalReply(ResponseHead head, byte[] body, Runnable whenWritten);

    void flush();

    boolean writable();

    /** Cuts the connection once what was written has left: the client sees an answer cut short. */
    void resetAfterWritten();

    /** How a fault breaks the client's connection, each codec in its own way. */
    enum Break {
        /** A TCP reset once what was written has left. */
        RESET,
        /** A close (FIN) once what was written has left. */
        CLOSE,
        /** Bytes that are no status line of the codec, then a close. */
        MALFORMED_STATUS_LINE
    }

    /** Breaks the connection for a fault; the connection is not reused. */
    void breakConnection(Break how);

    /** Closes the connection now. */
    void close();

    /** The stream's hold on reading the request, counted with the connection's other holds. */
    void holdReading(boolean hold);

    /**
     * Writes a 101 answer and joins the client's connection to {@code upstream} (taken from its pool) as a byte
     * tunnel that reports to {@code tunnel} when it closed. A codec that cannot carry an upgrade closes both.
     */
    default void encodeUpgrade(ResponseHead head, io.netty.channel.Channel upstream, TunnelRecord tunnel) {
        upstream.close();
        close();
    }

    /** A header map of the codec's kind, for answers the proxy makes. */
    HeaderMap newHeaders();
}
