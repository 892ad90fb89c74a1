package dev.meshunit.internal.netty;

import dev.meshunit.journal.Exchange;
import dev.meshunit.journal.InjectedFault;
import dev.meshunit.journal.ResponseFlag;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

/**
 * The HTTP/1.1 connection manager of one downstream connection: turns decoded messages into streams, one
 * at a time; a pipelined request waits until the one before it is answered. Malformed input gets 400
 * (431 for oversized headers) and the connection is closed.
 */
final class ConnectionManager extends ChannelInboundHandlerAdapter {
    private final ProxyRuntime runtime;
    private final String fixedAuthority;
    private final ArrayDeque<Object> pending = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private ActiveStream current;
    private String source;

    ConnectionManager(ProxyRuntime runtime, String fixedAuthority) {
        this.runtime = runtime;
        this.fixedAuthority = fixedAuthority;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        source = String.valueOf(ctx.channel().remoteAddress()).replaceFirst("^/", "");
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (current != null && msg instanceof HttpRequest || !pending.isEmpty()) {
            pending.add(msg);
            ctx.channel().config().setAutoRead(false);
            return;
        }
        dispatch(msg);
    }

    private void dispatch(Object msg) {
        if (!(msg instanceof HttpObject obj)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (obj.decoderResult().isFailure()) {
            ReferenceCountUtil.release(msg);
            if (obj.decoderResult().cause() instanceof PrematureChannelClosureException) {
                // The client left mid-message: a disconnect, not a protocol error. A stream under way ends
                // with DC when channelInactive follows; a head cut short is recorded as Envoy logs it.
                if (current == null) recordWithoutStream(0, ResponseFlag.DC);
                return;
            }
            if (current != null && !current.done()) {
                current.onDownstreamProtocolError();
            } else {
                rejectMalformed(obj.decoderResult().cause());
            }
            return;
        }
        if (msg instanceof HttpRequest head) {
            ParsedRequest parsed;
            try {
                parsed = ParsedRequest.parse(head, source, fixedAuthority);
            } catch (IllegalArgumentException e) {
                ReferenceCountUtil.release(msg);
                rejectMalformed(e);
                return;
            }
            current = new ActiveStream(this, ctx, runtime, parsed);
            current.start();
        }
        if (msg instanceof HttpContent content) {
            if (current != null) {
                current.onRequestContent(content);
            } else {
                content.release();
            }
        }
    }

    /** Called by the stream once its answer is out and its request fully read. */
    void streamDone(ActiveStream stream) {
        if (stream != current) return;
        current = null;
        if (!ctx.channel().isActive()) return;
        // The next request's body is queued behind its head: hand it over too, up to the head after it.
        while (!pending.isEmpty() && (current == null || !(pending.peek() instanceof HttpRequest))) {
            dispatch(pending.poll());
        }
        // No read completes for what was queued, so flush what it wrote upstream here.
        if (current != null) current.flushUpstream();
        if (pending.isEmpty()) ctx.channel().config().setAutoRead(true);
    }

    private void rejectMalformed(Throwable cause) {
        boolean tooLarge = cause instanceof TooLongHttpHeaderException
                || (cause instanceof TooLongFrameException && String.valueOf(cause.getMessage()).contains("header"));
        int code = tooLarge ? 431 : 400;
        byte[] body = (tooLarge ? "request header too large" : "bad request").getBytes(StandardCharsets.UTF_8);
        DefaultFullHttpResponse response = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(code), Unpooled.wrappedBuffer(body));
        response.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(HttpHeaderNames.CONTENT_TYPE, "text/plain")
                .set(HttpHeaderNames.CONNECTION, "close")
                .set(HttpHeaderNames.SERVER, "envoy");
        recordWithoutStream(code, ResponseFlag.DPE);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        releasePending();
    }

    private void recordWithoutStream(int code, ResponseFlag flag) {
        runtime.journal.record(new Exchange(runtime.journal.nextId(), runtime.scheduler.clock().instant(), source, "-", "-", "-",
                Map.of(), null, null, List.of(), InjectedFault.NONE, code, EnumSet.of(flag), 0));
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (current != null) current.flushUpstream();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (current != null) current.onDownstreamWritabilityChanged(ctx.channel().isWritable());
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (current != null) current.onDownstreamClosed();
        current = null;
        releasePending();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Resets and I/O errors from the client: closing ends the stream through channelInactive.
        ctx.close();
    }

    private void releasePending() {
        Object m;
        while ((m = pending.poll()) != null) ReferenceCountUtil.release(m);
    }
}
