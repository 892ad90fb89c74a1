package dev.meshunit.internal.netty;

import dev.meshunit.internal.time.DeadlineTimer;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.ReferenceCountUtil;

/**
 * First on every downstream HTTP connection, before the codec: Envoy's connection limit and idle timeout, and,
 * for HTTP/1.1, the request headers timeout and the bytes an unfinished head may hold. The connection manager
 * tells it where heads and streams begin and end; what the limits refuse goes to the connection manager as a
 * {@link Refusal} event, to be answered and journalled on the stream path. An HTTP/2 connection keeps only the
 * connection count. Its two timers are {@link DeadlineTimer}s, made once per connection: a keep-alive request
 * arms and disarms them without scheduling anything.
 */
final class DownstreamGuard extends ChannelInboundHandlerAdapter {
    /** What the connection manager answers for the guard. */
    enum Refusal { HEADERS_TIMEOUT, OVERLOADED, HEAD_TOO_LARGE }

    /** Past the limit, an unfinished head is refused at once; the exact check is on the complete head. */
    private static final int HEAD_SLACK = 16 * 1024;

    private final DownstreamSide side;
    private ChannelHandlerContext ctx;
    private boolean counted;
    private boolean http2;
    private boolean refused;
    private boolean inHead = true;
    private boolean headStarted;
    private boolean streamActive;
    private boolean reading;
    private boolean flipped;
    private ByteBuf cumulation;
    private long held;
    private DeadlineTimer headersTimer;
    private DeadlineTimer idleTimer;

    DownstreamGuard(DownstreamSide side) {
        this.side = side;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.headersTimer = DeadlineTimer.guard(side.scheduler, ctx.channel().eventLoop(), this::onHeadersTimeout);
        this.idleTimer = DeadlineTimer.guard(side.scheduler, ctx.channel().eventLoop(), this::onIdleTimeout);
        side.counters.cxTotal.increment();
        if (side.open.incrementAndGet() > side.limits.maxConnections()) {
            side.open.decrementAndGet();
            side.counters.cxOverflow.increment();
            refused = true;
            ctx.close();
            return;
        }
        counted = true;
        side.counters.cxActive.increment();
        armIdle();
    }

    /** The decoder of the HTTP/1.1 codec: its cumulation tells how much of the next head a read brought. */
    void watch(ByteToMessageDecoder decoder) {
        decoder.setCumulator((alloc, cumulated, in) -> {
            cumulation = ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(alloc, cumulated, in);
            return cumulation;
        });
    }

    /** The connection left HTTP/1.1 (HTTP/2, or an upgrade tunnel): only the connection count stays. */
    void http2() {
        http2 = true;
        cancel();
        hold(-held);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (refused) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (http2 || !(msg instanceof ByteBuf buf)) {
            ctx.fireChannelRead(msg);
            return;
        }
        int n = buf.readableBytes();
        if (inHead && !headStarted && n > 0) startHead();
        reading = true;
        flipped = false;
        try {
            ctx.fireChannelRead(msg);
        } finally {
            reading = false;
            cumulation = null;
        }
        if (inHead && headStarted && !flipped) hold(n);
    }

    // ---- from the connection manager

    /** A request head is complete (or refused by the codec). */
    void headComplete() {
        inHead = false;
        headStarted = false;
        headersTimer.disarm();
        hold(-held);
    }

    /** A request is complete: what the decoder still holds is the start of the next head. */
    void messageComplete() {
        inHead = true;
        flipped = true;
        int leftover = reading && cumulation != null ? cumulation.readableBytes() : 0;
        if (leftover > 0) {
            startHead();
            hold(leftover);
        }
    }

    void streamStarted() {
        streamActive = true;
        idleTimer.disarm();
    }

    void streamEnded() {
        streamActive = false;
        if (refused || http2) return;
        if (headStarted) {
            armHeaders();
        } else {
            armIdle();
        }
    }

    // ---- limits

    private void startHead() {
        headStarted = true;
        idleTimer.disarm();
        if (!streamActive) armHeaders();
    }

    private void hold(long delta) {
        if (delta == 0) return;
        held += delta;
        boolean within = side.holdHeadBytes(delta);
        if (delta < 0 || refused) return;
        if (held > (long) side.limits.maxRequestHeadersBytes() + HEAD_SLACK) {
            refuse(Refusal.HEAD_TOO_LARGE);
        } else if (!within) {
            side.counters.rqOverloadClose.increment();
            refuse(Refusal.OVERLOADED);
        }
    }

    private void refuse(Refusal why) {
        refused = true;
        cancel();
        ctx.fireUserEventTriggered(why);
    }

    private void armHeaders() {
        long ms = side.limits.requestHeadersTimeout().toMillis();
        if (ms > 0 && !headersTimer.armed()) headersTimer.arm(ms);
    }

    private void onHeadersTimeout() {
        if (!inHead || !headStarted || streamActive || refused || !ctx.channel().isActive()) return;
        side.counters.rqHeaderTimeout.increment();
        refuse(Refusal.HEADERS_TIMEOUT);
    }

    private void armIdle() {
        long ms = side.limits.idleTimeout().toMillis();
        if (ms > 0 && !http2 && !idleTimer.armed()) idleTimer.arm(ms);
    }

    private void onIdleTimeout() {
        if (headStarted || streamActive || refused || !ctx.channel().isActive()) return;
        side.counters.cxIdleTimeout.increment();
        ctx.close();
    }

    /** Once per connection (refused, HTTP/2, closed): the pending timers go too, so the scheduler drops the connection. */
    private void cancel() {
        if (headersTimer == null) return; // closed before it was added
        headersTimer.cancel();
        idleTimer.cancel();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancel();
        hold(-held);
        if (counted) {
            counted = false;
            side.open.decrementAndGet();
            side.counters.cxActive.decrement();
        }
        ctx.fireChannelInactive();
    }
}
