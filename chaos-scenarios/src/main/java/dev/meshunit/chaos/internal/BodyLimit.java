package dev.meshunit.chaos.internal;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Aggregates the requests of the admin and Toxiproxy API servers up to a size; past it, 413 with a JSON reason,
 * then the connection ended as the proxy ends one (Envoy's delayed close): a FIN, and what the client still sends
 * read and dropped until it closes or {@link #LINGER_MS} pass ({@link #closeAfterAnswer}). Netty's own aggregator closes at once with the
 * body's rest unread; the kernel then resets the connection, and the client can lose the 413 before reading it
 * (a JDK client sees "header parser received no bytes").
 */
public final class BodyLimit extends HttpObjectAggregator {
    static final long LINGER_MS = 1_000;

    private final byte[] refusal;

    /** {@code errorJson}: the 413's body, a JSON document naming the limit and how to raise it. */
    public BodyLimit(int maxBytes, String errorJson) {
        super(maxBytes);
        this.refusal = errorJson.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                Unpooled.wrappedBuffer(refusal));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, refusal.length)
                .set(HttpHeaderNames.CONNECTION, "close");
        ctx.writeAndFlush(res).addListener(f -> closeAfterAnswer(ctx.channel()));
    }

    /**
     * Ends {@code ch} after what was written to it, without a reset: a FIN now, the close once the client's FIN
     * arrives (the channel does not allow half-closure) or {@link #LINGER_MS} pass. Meanwhile the codec keeps
     * reading, and what it reads is dropped: the aggregator drops the rest of an oversized body, the decoder all
     * that follows a request it could not parse. On the channel's event loop.
     */
    public static void closeAfterAnswer(Channel ch) {
        if (!ch.isActive() || !(ch instanceof DuplexChannel duplex) || duplex.isOutputShutdown()) {
            ch.close();
            return;
        }
        duplex.shutdownOutput().addListener(f -> {
            if (!f.isSuccess()) ch.close();
        });
        ScheduledFuture<?> timer = ch.eventLoop().schedule(() -> ch.close(), LINGER_MS, TimeUnit.MILLISECONDS);
        ch.closeFuture().addListener(f -> timer.cancel(false));
        ch.config().setAutoRead(true);
        ch.read();
    }
}
