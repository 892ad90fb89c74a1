package dev.meshunit.internal.netty;

import dev.meshunit.internal.http.HeaderMap;
import dev.meshunit.internal.http.ResponseHead;
import dev.meshunit.internal.http.StreamEncoder;
import dev.meshunit.internal.http.TunnelRecord;
import dev.meshunit.internal.time.Scheduler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/**
 * Frames one stream's answer as HTTP/1.x for its client: the client's version, keep-alive or close, a body
 * delimited by length, chunks or the end of the connection. Confined to the connection's event loop.
 */
final class Http1ResponseEncoder implements StreamEncoder {
    private final ChannelHandlerContext ctx;
    private final ReadDisable reads;
    private final HttpVersion version;
    private final boolean keepAlive;
    private final boolean headRequest;
    private final Scheduler scheduler;
    private boolean closeAfterResponse;

    Http1ResponseEncoder(ChannelHandlerContext ctx, ReadDisable reads, HttpVersion version, boolean keepAlive,
                         boolean headRequest, Scheduler scheduler) {
        this.ctx = ctx;
        this.scheduler = scheduler;
        this.reads = reads;
        this.version = version;
        this.keepAlive = keepAlive;
        this.headRequest = headRequest;
    }

    @Override
    public void encodeHeaders(ResponseHead head) {
        HttpHeaders h = NettyHeaders.unwrap(head.headers());
        closeAfterResponse = !delimitBody(h, head.status()) || !keepAlive;
        if (closeAfterResponse) {
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (version == HttpVersion.HTTP_1_0) {
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        ctx.write(new DefaultHttpResponse(version, HttpResponseStatus.valueOf(head.status()), h), ctx.voidPromise());
    }

    /**
     * Makes the end of the body visible to the client when the upstream ended it by closing, or chunked it
     * for an HTTP/1.0 client that knows no chunks: chunked for HTTP/1.1, the end of the connection for
     * HTTP/1.0. Returns false when only closing the connection can end the body.
     */
    private boolean delimitBody(HttpHeaders h, int code) {
        if (h.contains(HttpHeaderNames.CONTENT_LENGTH) || code == 204 || code == 304 || headRequest) return true;
        if (version.equals(HttpVersion.HTTP_1_0)) {
            h.remove(HttpHeaderNames.TRANSFER_ENCODING);
            return false;
        }
        h.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        return true;
    }

    @Override
    public void encodeData(ByteBuf data, boolean endStream, HeaderMap trailers, Runnable whenWritten) {
        if (!endStream) {
            ctx.write(new DefaultHttpContent(data), ctx.voidPromise());
            return;
        }
        DefaultLastHttpContent last = trailers == null ? new DefaultLastHttpContent(data, EmptyHttpHeaders.INSTANCE)
                : new DefaultLastHttpContent(data, NettyHeaders.unwrap(trailers));
        if (!closeAfterResponse) {
            // Keep-alive: the answer is queued in order before anything the next stream writes, so the stream
            // may end now; a failed write closes the connection through the pipeline. No promise or listener
            // per request.
            ctx.writeAndFlush(last, ctx.voidPromise());
            whenWritten.run();
            return;
        }
        ctx.writeAndFlush(last).addListener((ChannelFutureListener) f -> {
            DelayedClose.close(ctx.channel(), scheduler);
            whenWritten.run();
        });
    }

    @Override
    public void encodeLocalReply(ResponseHead head, byte[] body, Runnable whenWritten) {
        HttpHeaders h = NettyHeaders.unwrap(head.headers());
        // A reply that says close (Envoy's upgrade_failed) ends the connection too.
        boolean close = !keepAlive || h.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE, true);
        if (close) h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(new DefaultFullHttpResponse(version, HttpResponseStatus.valueOf(head.status()),
                Unpooled.wrappedBuffer(body), h, EmptyHttpHeaders.INSTANCE)).addListener((ChannelFutureListener) f -> {
                    if (close) DelayedClose.close(ctx.channel(), scheduler);
                    whenWritten.run();
                });
    }

    @Override
    public void encodeUpgrade(ResponseHead head, io.netty.channel.Channel upstream, TunnelRecord tunnel) {
        UpgradeTunnel.open(ctx, upstream, head, tunnel);
    }

    @Override
    public void flush() {
        ctx.flush();
    }

    @Override
    public boolean writable() {
        return ctx.channel().isWritable();
    }

    @Override
    public void resetAfterWritten() {
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void breakConnection(Break how) {
        ChannelFuture written;
        if (how == Break.MALFORMED_STATUS_LINE) {
            // Raw bytes, past the HTTP encoder (it takes only HTTP objects before a head): written from its context.
            ChannelHandlerContext codec = ctx.pipeline().context("codec");
            written = (codec != null ? codec : ctx).writeAndFlush(
                    Unpooled.copiedBuffer("HTTP/1.1 OK-ish not-a-status\r\n\r\n", StandardCharsets.US_ASCII));
        } else {
            written = ctx.writeAndFlush(Unpooled.EMPTY_BUFFER);
        }
        written.addListener((ChannelFutureListener) f -> {
            // SO_LINGER 0: close() sends RST instead of FIN, as a peer that crashed or reset does.
            if (how == Break.RESET) ctx.channel().config().setOption(ChannelOption.SO_LINGER, 0);
            ctx.close();
        });
    }

    @Override
    public void close() {
        ctx.close();
    }

    @Override
    public void holdReading(boolean hold) {
        if (hold) {
            reads.hold();
        } else {
            reads.release();
        }
    }

    @Override
    public HeaderMap newHeaders() {
        return NettyHeaders.empty();
    }
}
