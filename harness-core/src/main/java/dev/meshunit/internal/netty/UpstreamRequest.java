package dev.meshunit.internal.netty;

import dev.meshunit.internal.http.HeaderMap;
import dev.meshunit.internal.http.ResponseHead;
import dev.meshunit.internal.router.Attempt;
import dev.meshunit.internal.router.AttemptCallbacks;
import dev.meshunit.internal.time.Scheduler;
import dev.meshunit.internal.router.UpstreamFailure;
import dev.meshunit.internal.upstream.CircuitBreakers;
import dev.meshunit.internal.upstream.Cluster;
import dev.meshunit.internal.upstream.Endpoint;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * One attempt of a request against one endpoint over HTTP/1.1 (Envoy's UpstreamRequest with its codec). Owns the upstream connection
 * while the attempt runs, and gives it back to the pool only when both the request and the response were
 * complete and the endpoint kept the connection open. Confined to the event loop.
 *
 * <p>A little over 300 lines: the connection's hand-back rules (request and response both complete, kept
 * open, no upgrade) are one piece of bookkeeping that must stay in one place.
 */
final class UpstreamRequest implements Attempt {
    private final AttemptCallbacks stream;
    private final ConnectionPool pool;
    private final Scheduler scheduler;
    private final Cluster cluster;
    private final Endpoint endpoint;
    private final int number;
    private final long startNanos;
    private Channel channel;
    private boolean finished;
    private boolean responseStarted;
    private boolean interimResponse;
    private boolean upstreamKeepAlive = true;
    private boolean reused;
    private CircuitBreakers.Waiter waiting;
    private CircuitBreakers.Slot pendingSlot;
    private Scheduler.Timer perTryTimer;
    private CircuitBreakers.Slot requestSlot;
    private boolean requestWritten;

    UpstreamRequest(AttemptCallbacks stream, ConnectionPool pool, Scheduler scheduler, Cluster cluster, Endpoint endpoint,
                    int number) {
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

    /** Whether the attempt ran on a pooled keep-alive connection, which the endpoint may have closed meanwhile. */
    @Override
    public boolean reused() {
        return reused;
    }

    boolean finished() {
        return finished;
    }

    void onConnected(Channel ch, boolean reused) {
        if (finished) {
            // The stream gave up while we were connecting.
            pool.release(cluster, endpoint, ch);
            return;
        }
        this.channel = ch;
        this.reused = reused;
        if (!reused) cluster.connected(endpoint);
        stream.onUpstreamReady(this);
    }

    /** A circuit breaker refused the attempt (Envoy's overflow): no connection was used. */
    void onOverflow() {
        if (finished) return;
        finish();
        stream.onUpstreamOverflow(this);
    }

    void onConnectFailed(Throwable cause) {
        if (finished) return;
        finish();
        cluster.localFailure(endpoint);
        stream.onUpstreamFailure(this, UpstreamFailure.CONNECT_FAILURE, describe(cause));
    }

    @Override
    public void sendHeaders(String method, String uri, HeaderMap headers) {
        channel.write(new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(method), uri,
                NettyHeaders.unwrap(headers)), channel.voidPromise());
    }

    /** Writes part of the request; the attempt remembers whether it wrote the end of it. */
    @Override
    public void sendData(ByteBuf data, boolean endStream, HeaderMap trailers) {
        if (!endStream) {
            channel.write(new DefaultHttpContent(data), channel.voidPromise());
            return;
        }
        requestWritten = true;
        channel.write(trailers == null ? new DefaultLastHttpContent(data, io.netty.handler.codec.http.EmptyHttpHeaders.INSTANCE)
                : new DefaultLastHttpContent(data, NettyHeaders.unwrap(trailers)), channel.voidPromise());
    }

    /** Whether the whole request went out on this attempt's connection. */
    boolean requestWritten() {
        return requestWritten;
    }

    @Override
    public void flush() {
        if (channel != null && !finished) channel.flush();
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

    void onResponseHead(HttpResponse response) {
        if (finished) return;
        int code = response.status().code();
        if (code >= 100 && code < 200 && code != 101) {
            // An interim answer (e.g. 100 Continue): nothing to forward; its empty last content follows.
            interimResponse = true;
            return;
        }
        responseStarted = true;
        cancelPerTry();
        cluster.responded(endpoint, code);
        upstreamKeepAlive = HttpUtil.isKeepAlive(response);
        // The decoder made these headers for us alone: the filters change them in place.
        stream.onUpstreamHeaders(this, new ResponseHead(code, new NettyHeaders(response.headers())));
    }

    void onResponseContent(HttpContent content) {
        if (finished) {
            content.release();
            return;
        }
        if (interimResponse) {
            content.release();
            if (content instanceof LastHttpContent) interimResponse = false;
            return;
        }
        boolean last = content instanceof LastHttpContent;
        HeaderMap trailers = last && !((LastHttpContent) content).trailingHeaders().isEmpty()
                ? new NettyHeaders(((LastHttpContent) content).trailingHeaders()) : null;
        stream.onUpstreamData(this, content.content(), last, trailers);
    }

    void onReadComplete() {
        if (!finished) stream.onUpstreamReadComplete();
    }

    void onWritabilityChanged(boolean writable) {
        if (!finished) stream.onUpstreamWritabilityChanged(writable);
    }

    void onProtocolError(Throwable cause) {
        if (finished) return;
        reset();
        cluster.localFailure(endpoint);
        stream.onUpstreamFailure(this, UpstreamFailure.PROTOCOL_ERROR, "protocol error: " + describe(cause));
    }

    /**
     * The route timeout ended the attempt: as in Envoy, an attempt still waiting for its answer counts as a
     * local-origin timeout for outlier detection.
     */
    @Override
    public void timedOut() {
        if (finished) return;
        boolean waitingForAnswer = channel != null && !responseStarted;
        reset();
        if (waitingForAnswer) cluster.localFailure(endpoint);
    }

    void onClosed() {
        if (finished) return;
        finish();
        // A pooled connection found closed is replaced, not held against the endpoint.
        if (!responseStarted && !reused) cluster.localFailure(endpoint);
        stream.onUpstreamFailure(this, requestWritten ? UpstreamFailure.RESET : UpstreamFailure.RESET_BEFORE_REQUEST,
                "connection termination");
    }

    @Override
    public void readAnswer(boolean on) {
        if (channel != null && !finished) channel.config().setAutoRead(on);
    }

    @Override
    public boolean writable() {
        return channel == null || channel.isWritable();
    }

    /**
     * The response was passed on whole: the attempt is over, and an upstream closing right after its last byte
     * is no failure. The connection goes back to the pool if it can serve another request.
     */
    @Override
    public void complete() {
        if (finished) return;
        finish();
        if (upstreamKeepAlive && requestWritten && channel.isActive()) {
            channel.config().setAutoRead(true);
            pool.release(cluster, endpoint, channel);
        } else {
            channel.close();
        }
    }

    /** The upstream switched protocols (101): the connection leaves the pool with the caller, never to return. */
    @Override
    public Channel upgraded() {
        if (finished || channel == null || !responseStarted) return null;
        finish();
        return channel;
    }

    /** Abandons the attempt and its connection. */
    @Override
    public void reset() {
        if (finished) return;
        finish();
        if (channel != null) channel.close();
    }

    private void finish() {
        finished = true;
        cancelPerTry();
        endpoint.requestFinished();
        if (requestSlot != null) requestSlot.release();
        // A request that gives up while queued for a connection frees its pending slot now, not when a
        // wake-up would find it; if a wake-up already took it, that path releases it.
        if (waiting != null && cluster.breakers().cancel(waiting)) pendingSlot.release();
    }

    /** Set while the request is queued for a connection, holding {@code slot} of http1MaxPendingRequests. */
    void waiting(CircuitBreakers.Waiter w, CircuitBreakers.Slot slot) {
        this.waiting = w;
        this.pendingSlot = slot;
    }

    private void cancelPerTry() {
        if (perTryTimer != null) {
            perTryTimer.cancel();
        }
    }

    @Override
    public double elapsedMs() {
        return (scheduler.nanoTime() - startNanos) / 1_000_000.0;
    }

    static String describe(Throwable cause) {
        if (cause == null) return "unknown";
        String m = cause.getMessage();
        return cause.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }
}
