package dev.meshunit.internal.netty;

import dev.meshunit.internal.http.HeaderMap;
import dev.meshunit.internal.http.ResponseHead;
import dev.meshunit.internal.router.Attempt;
import dev.meshunit.internal.router.AttemptCallbacks;
import dev.meshunit.internal.router.UpstreamFailure;
import dev.meshunit.internal.time.Scheduler;
import dev.meshunit.internal.upstream.CircuitBreakers;
import dev.meshunit.internal.upstream.Cluster;
import dev.meshunit.internal.upstream.Endpoint;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.util.ReferenceCountUtil;

/**
 * One attempt as one HTTP/2 stream on a multiplexed upstream connection ({@link Http2UpstreamPool}): the
 * cluster's request slot ({@code http2MaxRequests}) is held per stream, as Envoy counts them. Confined to
 * the event loop.
 */
final class Http2UpstreamRequest implements Attempt {
    private final AttemptCallbacks stream;
    private final Http2UpstreamPool pool;
    private final Scheduler scheduler;
    private final Cluster cluster;
    private final Endpoint endpoint;
    private final int number;
    private final long startNanos;
    private Channel channel;
    private boolean finished;
    private boolean responseStarted;
    private boolean reused;
    private CircuitBreakers.Slot requestSlot;
    private CircuitBreakers.Waiter waiting;
    private CircuitBreakers.Slot pendingSlot;
    private Scheduler.Timer perTryTimer;

    Http2UpstreamRequest(AttemptCallbacks stream, Http2UpstreamPool pool, Scheduler scheduler, Cluster cluster,
                         Endpoint endpoint, int number) {
        this.stream = stream;
        this.pool = pool;
        this.scheduler = scheduler;
        this.cluster = cluster;
        this.endpoint = endpoint;
        this.number = number;
        this.startNanos = scheduler.nanoTime();
    }

    @Override
    public void start() {
        endpoint.requestStarted();
        requestSlot = cluster.breakers().tryRequest();
        if (requestSlot == null) {
            onOverflow();
            return;
        }
        pool.acquire(cluster, endpoint, this);
    }

    boolean finished() {
        return finished;
    }

    /** The attempt waits for a stream or a connection slot, holding a pending slot (given back if it gives up). */
    void waiting(CircuitBreakers.Waiter w, CircuitBreakers.Slot slot) {
        this.waiting = w;
        this.pendingSlot = slot;
    }

    void onOverflow() {
        if (finished) return;
        finish();
        stream.onUpstreamOverflow(this);
    }

    void onConnectFailed(Throwable cause) {
        if (finished) return;
        finish();
        cluster.localFailure(endpoint);
        stream.onUpstreamFailure(this, UpstreamFailure.CONNECT_FAILURE, UpstreamRequest.describe(cause));
    }

    void onStream(Channel ch, boolean reused) {
        if (finished) {
            ch.close();
            return;
        }
        this.channel = ch;
        this.reused = reused;
        stream.onUpstreamReady(this);
    }

    ChannelHandler handler() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (finished) {
                    ReferenceCountUtil.release(msg);
                } else if (msg instanceof Http2HeadersFrame h) {
                    onHeaders(h);
                } else if (msg instanceof Http2DataFrame d) {
                    stream.onUpstreamData(Http2UpstreamRequest.this, d.content(), d.isEndStream(), null);
                } else {
                    ReferenceCountUtil.release(msg);
                    if (msg instanceof Http2ResetFrame) onReset();
                }
            }

            @Override
            public void channelReadComplete(ChannelHandlerContext ctx) {
                if (!finished) stream.onUpstreamReadComplete();
            }

            @Override
            public void channelWritabilityChanged(ChannelHandlerContext ctx) {
                if (!finished) stream.onUpstreamWritabilityChanged(ctx.channel().isWritable());
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                onReset();
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                ctx.close();
            }
        };
    }

    private void onHeaders(Http2HeadersFrame frame) {
        if (responseStarted) {
            stream.onUpstreamData(this, Unpooled.EMPTY_BUFFER, true,
                    new NettyHeaders(Http2StreamManager.plain(frame.headers())));
            return;
        }
        Http2Headers h = frame.headers();
        int code = Integer.parseInt(String.valueOf(h.status()));
        if (code >= 100 && code < 200) return;
        responseStarted = true;
        if (perTryTimer != null) perTryTimer.cancel();
        cluster.responded(endpoint, code);
        stream.onUpstreamHeaders(this, new ResponseHead(code, new NettyHeaders(Http2StreamManager.plain(h))));
        if (frame.isEndStream() && !finished) stream.onUpstreamData(this, Unpooled.EMPTY_BUFFER, true, null);
    }

    private void onReset() {
        if (finished) return;
        finish();
        if (!responseStarted) cluster.localFailure(endpoint);
        stream.onUpstreamFailure(this, UpstreamFailure.RESET, "remote reset");
    }

    @Override
    public void sendHeaders(String method, String uri, HeaderMap headers) {
        Http2Headers h = Http2ResponseEncoder.toHttp2(headers).method(method).path(uri).scheme("http");
        String authority = headers.get("host");
        if (authority != null) h.authority(authority);
        // gRPC servers want it, and HTTP/1 hop-by-hop rules dropped it on the way in.
        if ("trailers".equals(String.valueOf(headers.get("te"))) || h.contains("content-type")
                && String.valueOf(h.get("content-type")).startsWith("application/grpc")) {
            h.set("te", "trailers");
        }
        channel.write(new DefaultHttp2HeadersFrame(h, false), channel.voidPromise());
    }

    @Override
    public void sendData(ByteBuf data, boolean endStream, HeaderMap trailers) {
        if (trailers == null || !endStream) {
            channel.write(new DefaultHttp2DataFrame(data, endStream), channel.voidPromise());
            return;
        }
        channel.write(new DefaultHttp2DataFrame(data, false), channel.voidPromise());
        channel.write(new DefaultHttp2HeadersFrame(Http2ResponseEncoder.toHttp2(trailers), true), channel.voidPromise());
    }

    @Override
    public void flush() {
        if (channel != null && !finished) channel.flush();
    }

    @Override
    public boolean writable() {
        return channel == null || channel.isWritable();
    }

    @Override
    public void readAnswer(boolean on) {
        if (channel != null && !finished) channel.config().setAutoRead(on);
    }

    @Override
    public void startPerTryTimer(long millis) {
        if (perTryTimer != null || finished) return;
        perTryTimer = scheduler.schedule(channel.eventLoop(), () -> {
            if (finished || responseStarted) return;
            reset();
            cluster.localFailure(endpoint);
            stream.onUpstreamFailure(this, UpstreamFailure.PER_TRY_TIMEOUT, "per-try timeout");
        }, millis);
    }

    @Override
    public void complete() {
        if (finished) return;
        finish();
        // Both sides ended: the stream's channel closes itself; one still open is reset.
        if (channel.isActive()) channel.close();
    }

    @Override
    public void reset() {
        if (finished) return;
        finish();
        if (channel != null) channel.close();
    }

    @Override
    public void timedOut() {
        if (finished) return;
        boolean waitingForAnswer = channel != null && !responseStarted;
        reset();
        if (waitingForAnswer) cluster.localFailure(endpoint);
    }

    private void finish() {
        finished = true;
        if (perTryTimer != null) perTryTimer.cancel();
        endpoint.requestFinished();
        if (requestSlot != null) requestSlot.release();
        if (waiting != null && cluster.breakers().cancel(waiting)) pendingSlot.release();
    }

    @Override
    public Endpoint endpoint() {
        return endpoint;
    }

    @Override
    public int number() {
        return number;
    }

    @Override
    public boolean connected() {
        return channel != null && !finished;
    }

    @Override
    public boolean responseStarted() {
        return responseStarted;
    }

    @Override
    public boolean reused() {
        return reused;
    }

    @Override
    public double elapsedMs() {
        return (scheduler.nanoTime() - startNanos) / 1_000_000.0;
    }
}
