package dev.meshunit.internal.netty;

import dev.meshunit.internal.http.HeaderMap;
import dev.meshunit.internal.http.ResponseHead;
import dev.meshunit.internal.http.StreamEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.HttpConversionUtil;

/**
 * Frames one stream's answer as HTTP/2 on the stream's child channel: HEADERS with {@code :status} (the
 * connection-specific headers of HTTP/1 dropped, names lower-case), DATA, trailers as a last HEADERS frame; a
 * cut-short answer is a RST_STREAM of this stream only. Confined to the connection's event loop.
 */
final class Http2ResponseEncoder implements StreamEncoder {
    private Http2Headers pendingHead;
    private final Channel stream;
    private final ReadDisable reads;

    Http2ResponseEncoder(Channel stream, ReadDisable reads) {
        this.stream = stream;
        this.reads = reads;
    }

    static Http2Headers toHttp2(HeaderMap headers) {
        return HttpConversionUtil.toHttp2Headers(NettyHeaders.unwrap(headers), false);
    }

    private static Http2Headers head(ResponseHead head) {
        return toHttp2(head.headers()).status(Integer.toString(head.status()));
    }

    /**
     * The head waits for what follows it on the same read: an upstream's trailers-only answer (a gRPC error) ends
     * right after its head and goes downstream as one HEADERS frame with END_STREAM, as Envoy keeps it; anything
     * else, or the flush at the end of the read, sends the head first.
     */
    @Override
    public void encodeHeaders(ResponseHead head) {
        pendingHead = head(head);
    }

    private void writePendingHead() {
        if (pendingHead == null) return;
        stream.write(new DefaultHttp2HeadersFrame(pendingHead, false), stream.voidPromise());
        pendingHead = null;
    }

    @Override
    public void encodeData(ByteBuf data, boolean endStream, HeaderMap trailers, Runnable whenWritten) {
        if (pendingHead != null && endStream && trailers == null && !data.isReadable()) {
            data.release();
            Http2Headers head = pendingHead;
            pendingHead = null;
            stream.writeAndFlush(new DefaultHttp2HeadersFrame(head, true)).addListener(f -> whenWritten.run());
            return;
        }
        writePendingHead();
        if (!endStream) {
            stream.write(new DefaultHttp2DataFrame(data, false), stream.voidPromise());
            return;
        }
        if (trailers == null) {
            stream.writeAndFlush(new DefaultHttp2DataFrame(data, true)).addListener(f -> whenWritten.run());
            return;
        }
        if (data.isReadable()) {
            stream.write(new DefaultHttp2DataFrame(data, false), stream.voidPromise());
        } else {
            data.release();
        }
        stream.writeAndFlush(new DefaultHttp2HeadersFrame(toHttp2(trailers), true)).addListener(f -> whenWritten.run());
    }

    @Override
    public void encodeLocalReply(ResponseHead head, byte[] body, Runnable whenWritten) {
        if (body.length == 0) {
            stream.writeAndFlush(new DefaultHttp2HeadersFrame(head(head), true)).addListener(f -> whenWritten.run());
            return;
        }
        stream.write(new DefaultHttp2HeadersFrame(head(head), false), stream.voidPromise());
        stream.writeAndFlush(new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(body), true))
                .addListener(f -> whenWritten.run());
    }

    @Override
    public void flush() {
        writePendingHead();
        stream.flush();
    }

    @Override
    public boolean writable() {
        return stream.isWritable();
    }

    @Override
    public void resetAfterWritten() {
        writePendingHead();
        stream.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.INTERNAL_ERROR)).addListener(ChannelFutureListener.CLOSE);
    }

    /**
     * HTTP/2 has no connection of its own per request: a broken answer breaks this stream only, with the reset
     * code that says why (RST_STREAM INTERNAL_ERROR for a reset, CANCEL for a close, PROTOCOL_ERROR for what HTTP/1
     * would have seen as a malformed status line).
     */
    @Override
    public void breakConnection(Break how) {
        Http2Error code = switch (how) {
            case RESET -> Http2Error.INTERNAL_ERROR;
            case CLOSE -> Http2Error.CANCEL;
            case MALFORMED_STATUS_LINE -> Http2Error.PROTOCOL_ERROR;
        };
        writePendingHead();
        stream.writeAndFlush(new DefaultHttp2ResetFrame(code)).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void close() {
        // Closing a stream's channel resets that stream (RST_STREAM CANCEL); the connection stays.
        stream.close();
    }

    @Override
    public void holdReading(boolean hold) {
        reads.hold(hold);
    }

    @Override
    public HeaderMap newHeaders() {
        return NettyHeaders.empty();
    }
}
