package dev.meshunit.internal.netty;

import dev.meshunit.internal.upstream.CircuitBreakers;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.ReferenceCountUtil;
import dev.meshunit.internal.time.DeadlineTimer;
import dev.meshunit.internal.time.Scheduler;

/** The last handler of an upstream connection: passes what the endpoint sends to the attempt using it. */
final class UpstreamHandler extends ChannelInboundHandlerAdapter {
    private final ConnectionPool pool;
    private UpstreamRequest request;
    private String idleEndpoint;
    private CircuitBreakers owner;
    private int served;
    /** Made with the first release into the pool; each later request disarms it and the next release arms it. */
    private DeadlineTimer idleTimer;

    UpstreamHandler(ConnectionPool pool) {
        this.pool = pool;
    }

    void attach(UpstreamRequest request) {
        this.request = request;
        this.idleEndpoint = null;
        served++;
        if (idleTimer != null) idleTimer.disarm();
    }

    /** The circuit breakers of the cluster that opened the connection, which counts it. */
    void owner(CircuitBreakers breakers) {
        this.owner = breakers;
    }

    CircuitBreakers owner() {
        return owner;
    }

    /** Requests the connection carried so far. */
    int served() {
        return served;
    }

    /** Istio's {@code http.idleTimeout}: an idle pooled connection is closed after it. */
    void closeWhenIdleFor(Scheduler scheduler, long millis, Channel ch) {
        if (idleTimer == null) {
            idleTimer = DeadlineTimer.of(scheduler, ch.eventLoop(), () -> {
                if (request == null) ch.close();
            });
        }
        idleTimer.arm(millis);
    }

    void detach(String endpointId) {
        this.request = null;
        this.idleEndpoint = endpointId;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        UpstreamRequest r = request;
        if (r == null || !(msg instanceof HttpObject)) {
            // Bytes on an idle keep-alive connection: the endpoint is confused; never reuse it.
            ReferenceCountUtil.release(msg);
            ctx.close();
            return;
        }
        if (((HttpObject) msg).decoderResult().isFailure()) {
            ReferenceCountUtil.release(msg);
            r.onProtocolError(((HttpObject) msg).decoderResult().cause());
            return;
        }
        if (msg instanceof HttpResponse response) {
            r.onResponseHead(response);
        }
        if (msg instanceof HttpContent content) {
            r.onResponseContent(content);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (request != null) request.onReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (request != null) request.onWritabilityChanged(ctx.channel().isWritable());
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (idleTimer != null) idleTimer.cancel();
        if (request != null) {
            request.onClosed();
        } else if (idleEndpoint != null) {
            pool.evict(idleEndpoint, ctx.channel());
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A reset or an I/O error: closing ends the attempt through channelInactive.
        ctx.close();
    }
}
