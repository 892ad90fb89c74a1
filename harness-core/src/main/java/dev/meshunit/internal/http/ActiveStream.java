package dev.meshunit.internal.http;

import dev.meshunit.internal.time.Scheduler;
import dev.meshunit.journal.ResponseFlag;
import dev.meshunit.internal.routing.RouteAction;
import dev.meshunit.internal.routing.RouteMatch;
import dev.meshunit.internal.routing.WeightedDestination;
import dev.meshunit.internal.upstream.ClusterKey;
import io.netty.buffer.ByteBuf;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * One downstream request from head to the last byte of its answer (Envoy's ActiveStream): resolves the route,
 * runs the filter chain (fault, header mutation, mirror, router last) over the request and, in reverse, over
 * the answer, answers locally where a filter or the route says so, and journals the exchange. Knows no codec:
 * a connection manager feeds it and encodes for it. Confined to the downstream connection's event loop.
 */
public final class ActiveStream implements FilterCallbacks {
    /** What the connection manager hears from its stream. */
    public interface Owner {
        /** The answer is out and the request fully read: the next request may start. */
        void streamDone(ActiveStream stream);
    }

    private final Owner owner;
    private final StreamEncoder encoder;
    private final StreamContext context;
    private final Executor loop;
    private final StreamInfo info;
    private final RequestBody body;
    private final Scheduler.Timers timers;
    private List<StreamFilter> filters = List.of();
    private int reached;
    private boolean holding;
    private boolean responseStarted;
    private boolean responseComplete;
    private boolean recorded;
    private boolean done;

    public ActiveStream(Owner owner, StreamEncoder encoder, StreamContext context, Executor loop, RequestHead request) {
        this.owner = owner;
        this.encoder = encoder;
        this.context = context;
        this.loop = loop;
        Scheduler scheduler = context.scheduler();
        this.info = new StreamInfo(context.journal().nextId(), scheduler.clock().instant(), scheduler.nanoTime(), request,
                context.table());
        this.body = new RequestBody(context.maxBufferedBodyBytes());
        this.timers = scheduler.on(loop);
    }

    // ---- from the connection manager

    /** Resolves the route and starts the filter chain. */
    public void start() {
        RequestHead request = info.request();
        RouteMatch match = info.table().route(request.host(), request.port(), request);
        if (!match.found()) {
            info.flags().add(ResponseFlag.NR);
            info.nearestRoute(info.table().explainNoRoute(request.host(), request.port(), request));
            sendLocalReply(LocalReply.noRoute(info.nearestRoute()));
            return;
        }
        RouteAction action = match.route().action();
        info.route(match, null, null);
        if (request.upgrade() != null && !request.upgrade().equals(RequestHead.WEBSOCKET)) {
            sendLocalReply(LocalReply.upgradeFailed()); // no upgrade_configs for that type
        } else if (action instanceof RouteAction.Redirect redirect) {
            sendLocalReply(Redirects.reply(redirect.redirect(), request, match.matchedPrefix()));
        } else if (action instanceof RouteAction.DirectResponse direct) {
            byte[] b = direct.body();
            sendLocalReply(new LocalReply(direct.status(), b, b.length > 0 ? "text/plain" : null, null));
        } else {
            WeightedDestination d = ((RouteAction.Forward) action).pick(context.random());
            info.route(match, d, info.clusterKeyFor(d, match));
            filters = context.filters(this, loop);
            continueDecoding();
        }
    }

    /** A piece of the request body; the stream owns {@code data}. */
    public void onRequestData(ByteBuf data, boolean last, HeaderMap trailers) {
        if (done || responseComplete) {
            // The answer is out (a local reply or an early response): drain the rest of the body.
            data.release();
            if (last) {
                body.append(io.netty.buffer.Unpooled.EMPTY_BUFFER, true, null);
                if (done) owner.streamDone(this);
            }
            return;
        }
        body.append(data, last, trailers);
        int passed = reached;
        for (int i = 0; i < passed && !done; i++) filters.get(i).decodeData(data, last);
        // Nowhere to send it yet (a connection, a back-off, a delay): stop reading past the bound.
        if (!done && body.overBound()) holdRequestBody(true);
    }

    public void onDownstreamWritabilityChanged(boolean writable) {
        for (int i = 0, n = filters.size(); i < n; i++) filters.get(i).onDownstreamWatermark(writable);
    }

    public void onDownstreamReadComplete() {
        for (int i = 0, n = filters.size(); i < n; i++) filters.get(i).onDownstreamReadComplete();
    }

    public void onDownstreamClosed() {
        if (done) return;
        info.flags().add(ResponseFlag.DC);
        for (int i = 0, n = filters.size(); i < n; i++) filters.get(i).onReset("downstream disconnected");
        if (!responseStarted) info.status(0);
        finish(false);
    }

    /** A protocol error in the request body after the head was accepted. */
    public void onDownstreamProtocolError() {
        info.flags().add(ResponseFlag.DPE);
        if (!body.complete()) body.append(io.netty.buffer.Unpooled.EMPTY_BUFFER, true, null);
        for (int i = 0, n = filters.size(); i < n; i++) filters.get(i).onReset("downstream protocol error");
        if (!responseStarted) sendLocalReply(LocalReply.text(400, ""));
        encoder.close();
    }

    /** Answers input that is no request (a malformed head): the same local-reply path, then the connection closes. */
    public void reject(LocalReply reply, ResponseFlag flag) {
        if (flag != null) info.flags().add(flag);
        sendLocalReply(reply);
    }

    // ---- filter callbacks

    @Override
    public void continueDecoding() {
        while (!done && reached < filters.size()) {
            if (filters.get(reached++).decodeHeaders(info.request()) == StreamFilter.Status.STOP) return;
        }
    }

    @Override
    public void sendLocalReply(LocalReply reply) {
        if (done) return;
        reply = GrpcLocalReplies.adapt(reply, info.request());
        if (responseStarted) {
            encoder.close();
            finish(false);
            return;
        }
        responseStarted = true;
        responseComplete = true;
        info.status(reply.status());
        HeaderMap h = encoder.newHeaders();
        h.set("content-length", reply.body().length);
        if (reply.contentType() != null) h.set("content-type", reply.contentType());
        h.set("server", "envoy");
        if (reply.headers() != null) reply.headers().accept(h);
        if (reply.status() == 503 && info.flags().contains(ResponseFlag.UO)) h.set("x-envoy-overloaded", "true");
        ResponseHead head = new ResponseHead(reply.status(), h);
        for (int i = filters.size() - 1; i >= 0; i--) filters.get(i).encodeHeaders(head, true);
        info.responseHeaders(h);
        record();
        encoder.encodeLocalReply(head, reply.body(), () -> finish(true));
    }

    @Override
    public void encodeHeaders(ResponseHead head) {
        passHeaders(head);
        encoder.encodeHeaders(head);
    }

    private void passHeaders(ResponseHead head) {
        responseStarted = true;
        info.status(head.status());
        for (int i = filters.size() - 1; i >= 0; i--) filters.get(i).encodeHeaders(head, false);
        info.responseHeaders(head.headers());
    }

    @Override
    public void encodeData(ByteBuf data, boolean endStream, HeaderMap trailers) {
        if (done) {
            data.release();
            return;
        }
        for (int i = filters.size() - 1; i >= 0; i--) filters.get(i).encodeData(data, endStream);
        if (!endStream) {
            encoder.encodeData(data, false, null, null);
            return;
        }
        responseComplete = true;
        info.responseHeaders(trailers);
        info.responseTrailers(trailers);
        // Recorded before the last byte leaves, so a client that has its answer finds it in the journal.
        record();
        encoder.encodeData(data, true, trailers, () -> finish(true));
    }

    @Override
    public void resetStream() {
        encoder.resetAfterWritten();
        finish(false);
    }

    @Override
    public void breakDownstream(StreamEncoder.Break how) {
        if (done) return;
        if (!responseStarted) info.status(0);
        record();
        encoder.breakConnection(how);
        finish(false);
    }

    /** The upstream accepted the upgrade: the exchange is journalled (101) and the connection becomes a tunnel. */
    @Override
    public void upgrade(ResponseHead head, dev.meshunit.internal.router.Attempt upstream) {
        io.netty.channel.Channel ch = done || !RequestHead.WEBSOCKET.equals(info.request().upgrade()) ? null : upstream.upgraded();
        if (ch == null) { // a 101 to a request that asked for no upgrade (or over HTTP/2): a protocol error
            upstream.reset();
            info.flags().add(ResponseFlag.UPE);
            sendLocalReply(LocalReply.upstreamFailure(dev.meshunit.internal.router.UpstreamFailure.PROTOCOL_ERROR, ""));
            return;
        }
        passHeaders(head);
        responseComplete = true;
        record();
        TunnelRecord tunnel = new TunnelRecord(context, info, upstream.endpoint().id());
        finish(false);
        encoder.encodeUpgrade(head, ch, tunnel);
    }

    @Override
    public HeaderMap newHeaders() {
        return encoder.newHeaders();
    }

    @Override
    public void flushDownstream() {
        encoder.flush();
    }

    @Override
    public boolean downstreamWritable() {
        return encoder.writable();
    }

    @Override
    public void holdRequestBody(boolean hold) {
        if (hold == holding) return;
        holding = hold;
        encoder.holdReading(hold);
    }

    @Override
    public StreamInfo info() {
        return info;
    }

    @Override
    public RequestBody body() {
        return body;
    }

    @Override
    public Scheduler.Timers timers() {
        return timers;
    }

    @Override
    public boolean done() {
        return done;
    }

    /** Whether the answer has begun to go downstream. */
    public boolean responseStarted() {
        return responseStarted;
    }

    private void finish(boolean keepConnection) {
        if (done) return;
        done = true;
        for (int i = 0, n = filters.size(); i < n; i++) filters.get(i).onDestroy();
        record();
        boolean requestComplete = body.complete();
        body.release();
        // The rest of an unread body must still be read and drained; the connection's own holds stay.
        holdRequestBody(false);
        if (keepConnection && requestComplete) owner.streamDone(this);
    }

    private void record() {
        if (recorded) return;
        recorded = true;
        for (int i = 0, n = filters.size(); i < n; i++) filters.get(i).onLog(info);
        ClusterKey key = info.clusterKey();
        // The journal keeps many exchanges: share what does not change from one to the next.
        context.journal().record(info.exchange(key == null ? null : context.destinationRef(key),
                context.scheduler().nanoTime()));
    }
}
