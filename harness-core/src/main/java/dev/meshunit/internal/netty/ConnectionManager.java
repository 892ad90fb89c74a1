package dev.meshunit.internal.netty;

import dev.meshunit.internal.http.ActiveStream;
import dev.meshunit.internal.http.HeaderMap;
import dev.meshunit.internal.http.LocalReply;
import dev.meshunit.internal.http.RequestHead;
import dev.meshunit.journal.ResponseFlag;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

/**
 * The HTTP/1.1 connection manager of one downstream connection: adapts Netty's HTTP/1 codec to
 * codec-independent {@link ActiveStream}s, one at a time; a pipelined request waits until the one before
 * it is answered. Malformed input gets 400 (431 for oversized headers) through the stream's local-reply
 * path, and the connection is closed. Owns the connection's reading ({@link ReadDisable}).
 */
final class ConnectionManager extends ChannelInboundHandlerAdapter implements ActiveStream.Owner {
    private final ProxyRuntime runtime;
    private final String fixedAuthority;
    private final FatalErrors fatal;
    private DownstreamGuard guard;
    /** A limit refused this connection: what the codec still emits is dropped. */
    private boolean refused;
    private final ArrayDeque<Object> pending = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private ReadDisable reads;
    private boolean pipelineHold;
    private boolean upgradeHold;
    private ActiveStream current;
    private String source;
    private boolean h2cDecided;

    ConnectionManager(ProxyRuntime runtime, String fixedAuthority, FatalErrors fatal) {
        this.runtime = runtime;
        this.fixedAuthority = fixedAuthority;
        this.fatal = fatal;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.reads = new ReadDisable(ctx.channel());
        this.guard = ctx.pipeline().get(DownstreamGuard.class);
        // Added once the codec is known, after the connection became active.
        if (ctx.channel().isActive()) source = String.valueOf(ctx.channel().remoteAddress()).replaceFirst("^/", "");
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        source = String.valueOf(ctx.channel().remoteAddress()).replaceFirst("^/", "");
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (refused) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (guard != null) {
            if (msg instanceof HttpRequest) guard.headComplete();
            if (msg instanceof LastHttpContent) guard.messageComplete();
        }
        if (current != null && msg instanceof HttpRequest || !pending.isEmpty()) {
            pending.add(msg);
            if (!pipelineHold) {
                pipelineHold = true;
                reads.hold();
            }
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
                if (current == null) unreadable().onDownstreamClosed();
                return;
            }
            if (current != null && !current.done()) {
                current.onDownstreamProtocolError();
            } else if (obj instanceof HttpRequest head && Http1RequestChecks.unsupportedTransferEncoding(head)) {
                refuse(head, Http1RequestChecks.BAD_TRANSFER_ENCODING); // the codec refused it too, as a 400
            } else {
                rejectMalformed(obj.decoderResult().cause());
            }
            return;
        }
        if (msg instanceof HttpRequest head) {
            Http1RequestChecks.Refusal refusal = Http1RequestChecks.check(head, runtime.downstreamLimits());
            if (refusal != null) {
                ReferenceCountUtil.release(msg);
                refuse(head, refusal);
                return;
            }
            RequestHead request;
            try {
                request = RequestHead.parse(head.method().name(), head.uri(), head.headers().get(HttpHeaderNames.HOST),
                        new NettyHeaders(head.headers()), source, fixedAuthority);
            } catch (IllegalArgumentException e) {
                ReferenceCountUtil.release(msg);
                rejectMalformed(e);
                return;
            }
            Http1ResponseEncoder encoder = new Http1ResponseEncoder(ctx, reads, head.protocolVersion(),
                    HttpUtil.isKeepAlive(head), head.method().equals(HttpMethod.HEAD), runtime.scheduler);
            current = new ActiveStream(this, encoder, runtime, ctx.channel().eventLoop(), request);
            request.upgrade(UpgradeTunnel.requestedUpgrade(head.headers()));
            // Nothing after an upgrade request is HTTP until its answer says whether the connection switched.
            if (request.upgrade() != null) reads.hold(upgradeHold = true);
            if (guard != null) guard.streamStarted();
            if (!h2cDecided) dropH2cUpgrade();
            current.start();
        }
        if (msg instanceof HttpContent content) {
            if (current != null) {
                HeaderMap trailers = content instanceof LastHttpContent last && !last.trailingHeaders().isEmpty()
                        ? new NettyHeaders(last.trailingHeaders()) : null;
                current.onRequestData(content.content(), content instanceof LastHttpContent, trailers);
            } else {
                content.release();
            }
        }
    }

    /**
     * A connection may upgrade to h2c with its first request only: the upgrade handler, an aggregator every
     * message passes through, leaves once a first request came through as HTTP/1.1. A later {@code Upgrade: h2c}
     * is served in HTTP/1.1 with the upgrade dropped, as Envoy's codec treats every h2c upgrade. Removed after
     * the current read, not from inside the handler's own call.
     */
    private void dropH2cUpgrade() {
        h2cDecided = true;
        ChannelHandlerContext c = ctx;
        c.channel().eventLoop().execute(() -> {
            if (c.pipeline().get("h2c") != null) c.pipeline().remove("h2c");
        });
    }

    /** Called by the stream once its answer is out and its request fully read. */
    @Override
    public void streamDone(ActiveStream stream) {
        if (stream != current) return;
        current = null;
        if (upgradeHold) reads.hold(upgradeHold = false); // the upgrade was refused: HTTP goes on
        if (!ctx.channel().isActive()) return;
        try {
            dispatchPending();
        } finally {
            if (current == null && guard != null) guard.streamEnded();
        }
    }

    private void dispatchPending() {
        // The next request's body is queued behind its head: hand it over too, up to the head after it.
        while (!pending.isEmpty() && (current == null || !(pending.peek() instanceof HttpRequest))) {
            dispatch(pending.poll());
        }
        // No read completes for what was queued, so flush what it wrote upstream here.
        if (current != null) current.onDownstreamReadComplete();
        if (pending.isEmpty() && pipelineHold) {
            pipelineHold = false;
            reads.release();
        }
    }

    /** A stream for input that is no request, so that its answer and its journal entry take the one path. */
    private ActiveStream unreadable() {
        RequestHead none = RequestHead.parse("-", "-", "-", NettyHeaders.empty(), source, null);
        return new ActiveStream(this, new Http1ResponseEncoder(ctx, reads, HttpVersion.HTTP_1_1, false, false, runtime.scheduler), runtime,
                ctx.channel().eventLoop(), none);
    }

    private void rejectMalformed(Throwable cause) {
        // A request line or headers past the codec's bounds: Envoy counts both in max_request_headers_kb, 431.
        boolean tooLarge = cause instanceof TooLongFrameException;
        runtime.downstreamCounters().cxProtocolError.increment();
        if (tooLarge) runtime.downstreamCounters().rqHeadersTooLarge.increment();
        unreadable().reject(LocalReply.text(tooLarge ? 431 : 400, tooLarge ? "request header too large" : "bad request"),
                ResponseFlag.DPE);
        releasePending();
    }

    /** A complete head that a limit or RFC 9112 refuses: answered, journalled with what was read, then closed. */
    private void refuse(HttpRequest head, Http1RequestChecks.Refusal refusal) {
        refused = true;
        if (refusal.flag() == ResponseFlag.DPE) runtime.downstreamCounters().cxProtocolError.increment();
        if (refusal.tooLarge()) runtime.downstreamCounters().rqHeadersTooLarge.increment();
        ActiveStream stream = unreadable();
        if (refusal == Http1RequestChecks.CONNECT) {
            try {
                RequestHead connect = RequestHead.parse(head.method().name(), head.uri(), head.uri(),
                        new NettyHeaders(head.headers()), source, fixedAuthority);
                stream = new ActiveStream(this, new Http1ResponseEncoder(ctx, reads, head.protocolVersion(), false, false, runtime.scheduler),
                        runtime, ctx.channel().eventLoop(), connect);
            } catch (IllegalArgumentException e) {
                // no authority to journal: the stream of an unreadable head records it
            }
        }
        stream.reject(LocalReply.text(refusal.status(), refusal.body()), refusal.flag());
        releasePending();
    }

    /** What the {@link DownstreamGuard} refused: answered as Envoy does when no stream is under way, else closed. */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (!(evt instanceof DownstreamGuard.Refusal why)) {
            ctx.fireUserEventTriggered(evt);
            return;
        }
        refused = true;
        if (current != null) {
            ctx.close();
            return;
        }
        switch (why) {
            case HEADERS_TIMEOUT -> unreadable().reject(LocalReply.text(408, "request header timeout"), null);
            case OVERLOADED -> unreadable().reject(LocalReply.text(503, "envoy overloaded"), ResponseFlag.OM);
            case HEAD_TOO_LARGE -> {
                runtime.downstreamCounters().cxProtocolError.increment();
                runtime.downstreamCounters().rqHeadersTooLarge.increment();
                unreadable().reject(LocalReply.text(431, "request header too large"), ResponseFlag.DPE);
            }
        }
        releasePending();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (current != null) current.onDownstreamReadComplete();
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
        // An exhausted heap thrown by this connection's own work: nothing after it can be trusted.
        if (fatal != null && FatalErrors.isFatal(cause)) fatal.report(cause);
        // Resets and I/O errors from the client: closing ends the stream through channelInactive.
        ctx.close();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releasePending(); // the connection became a tunnel (an upgrade)
    }

    private void releasePending() {
        Object m;
        while ((m = pending.poll()) != null) ReferenceCountUtil.release(m);
    }
}
