import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * One downstream HTTP/1.1 connection: each request goes to a pooled upstream connection, its response parts come
 * back as they arrive. What a correct proxy must do and nothing more: hop-by-hop headers dropped both ways
 * (RFC 9110 7.6.1; Transfer-Encoding is redone per hop by the codecs), HTTP/1.1 upstream, keep-alive downstream as the client asked, pipelined requests answered in
 * order, a 502 when the origin is unreachable or fails before answering, back-pressure both ways. No timeouts:
 * a benchmark tool, not a product.
 */
final class HttpProxyHandler extends ChannelInboundHandlerAdapter {
    private final UpstreamPool pool;
    private final ArrayDeque<Object> pipelined = new ArrayDeque<>(); // requests behind the one in flight
    private List<Object> beforeConnect; // the request's parts while its upstream connection is being made
    private ChannelHandlerContext ctx;
    private Channel upstream;
    private boolean inFlight, requestDone, responseStarted, keepAlive, http10, head, reusable, skipInterim;
    private boolean holdPipelined, holdUpstream;

    HttpProxyHandler(UpstreamPool pool) {
        this.pool = pool;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!pipelined.isEmpty() || (inFlight && requestDone)) { // the next request waits for this response
            pipelined.add(msg);
            holdPipelined = true;
            autoRead();
            return;
        }
        fromDownstream(msg);
    }

    private void fromDownstream(Object msg) {
        if (msg instanceof HttpObject && ((HttpObject) msg).decoderResult().isFailure()) {
            ReferenceCountUtil.release(msg);
            if (inFlight) ctx.close();
            else localReply(HttpResponseStatus.BAD_REQUEST);
            return;
        }
        if (msg instanceof HttpRequest) start((HttpRequest) msg);
        if (msg instanceof LastHttpContent) requestDone = true;
        if (beforeConnect != null) beforeConnect.add(msg);
        else if (upstream != null) toUpstream(msg);
        else ReferenceCountUtil.release(msg); // the rest of a request already answered locally
    }

    private void start(HttpRequest req) {
        inFlight = true;
        requestDone = false;
        responseStarted = false;
        keepAlive = HttpUtil.isKeepAlive(req);
        http10 = req.protocolVersion().equals(HttpVersion.HTTP_1_0);
        head = HttpMethod.HEAD.equals(req.method());
        dropHopByHop(req.headers());
        req.setProtocolVersion(HttpVersion.HTTP_1_1); // as nginx's proxy_http_version 1.1: keep-alive upstream
        Channel idle = pool.poll();
        if (idle != null) {
            bindUpstream(idle);
            return;
        }
        beforeConnect = new ArrayList<>(2);
        pool.connect().addListener((ChannelFuture f) -> connected(f));
    }

    private void connected(ChannelFuture f) {
        List<Object> parts = beforeConnect;
        beforeConnect = null;
        if (!f.isSuccess()) {
            parts.forEach(ReferenceCountUtil::release);
            if (ctx.channel().isActive()) localReply(HttpResponseStatus.BAD_GATEWAY);
            return;
        }
        if (!ctx.channel().isActive()) { // the client left meanwhile: nothing was sent, the connection is clean
            parts.forEach(ReferenceCountUtil::release);
            pool.release(f.channel(), true);
            return;
        }
        bindUpstream(f.channel());
        parts.forEach(this::toUpstream);
        upstream.flush();
    }

    private void bindUpstream(Channel ch) {
        upstream = ch;
        UpstreamPool.bind(ch, this);
    }

    private void toUpstream(Object msg) {
        upstream.write(msg, upstream.voidPromise());
        if (!upstream.isWritable()) upstreamWritable(false);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (upstream != null) upstream.flush();
    }

    /** A part of the response to the request in flight. */
    void fromUpstream(HttpObject msg) {
        if (msg.decoderResult().isFailure()) {
            ReferenceCountUtil.release(msg);
            upstream.close(); // upstreamLost answers or closes
            return;
        }
        if (msg instanceof HttpResponse) {
            HttpResponse res = (HttpResponse) msg;
            if (res.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
                ReferenceCountUtil.release(msg); // 103 Early Hints and the like: not passed on (no 100: see main)
                skipInterim = true;
                return;
            }
            responseStarted = true;
            reusable = HttpUtil.isKeepAlive(res);
            dropHopByHop(res.headers());
            if (!HttpUtil.isContentLengthSet(res) && !bodyless(res)) { // chunked or ended by the origin's close
                if (http10) { // no chunks for HTTP/1.0: the close ends the body
                    res.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
                    keepAlive = false;
                } else if (!HttpUtil.isTransferEncodingChunked(res)) {
                    HttpUtil.setTransferEncodingChunked(res, true);
                }
            }
            if (!keepAlive) res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            else if (http10) res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        } else if (skipInterim) { // the empty end of an interim response
            skipInterim = !(msg instanceof LastHttpContent);
            ReferenceCountUtil.release(msg);
            return;
        }
        if (!(msg instanceof LastHttpContent)) {
            ctx.write(msg, ctx.voidPromise());
            if (!ctx.channel().isWritable()) upstream.config().setAutoRead(false);
            return;
        }
        Channel up = upstream;
        upstream = null;
        inFlight = false;
        // the request must be done too before the connection is clean (a reply before the whole body was sent)
        pool.release(up, reusable && requestDone);
        if (holdUpstream) upstreamWritable(true); // that connection's buffer no longer holds the client back
        if (keepAlive) {
            ctx.writeAndFlush(msg, ctx.voidPromise());
            drainPipelined();
        } else {
            ctx.writeAndFlush(msg).addListener(ChannelFutureListener.CLOSE);
        }
    }

    void flushDownstream() {
        ctx.flush();
    }

    /** The upstream connection closed or failed before the response ended. */
    void upstreamLost() {
        upstream = null;
        boolean answered = responseStarted;
        inFlight = false;
        if (answered) ctx.close(); // the client sees a truncated response, as from any proxy
        else localReply(HttpResponseStatus.BAD_GATEWAY);
    }

    private void localReply(HttpResponseStatus status) {
        inFlight = false;
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status);
        res.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0).set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
    }

    private void drainPipelined() {
        Object msg;
        while (!(inFlight && requestDone) && (msg = pipelined.poll()) != null) fromDownstream(msg);
        if (upstream != null) upstream.flush(); // no read of the client's will come to flush them
        if (pipelined.isEmpty() && holdPipelined) {
            holdPipelined = false;
            autoRead();
        }
    }

    /** Upstream writability: stop reading the client's request body while the origin does not take it. */
    void upstreamWritable(boolean writable) {
        holdUpstream = !writable;
        autoRead();
    }

    private void autoRead() {
        boolean on = !holdPipelined && !holdUpstream;
        if (ctx.channel().config().isAutoRead() != on) ctx.channel().config().setAutoRead(on);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (upstream != null && ctx.channel().isWritable()) upstream.config().setAutoRead(true);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        pipelined.forEach(ReferenceCountUtil::release);
        pipelined.clear();
        if (upstream != null) { // a response in flight that nobody will read: the connection cannot be reused
            UpstreamPool.bind(upstream, null);
            upstream.close();
            upstream = null;
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    private boolean bodyless(HttpResponse res) {
        int code = res.status().code();
        return head || code == 204 || code == 304;
    }

    /** Connection, the headers it names, and the other hop-by-hop headers; Transfer-Encoding stays: the codecs frame. */
    private static void dropHopByHop(HttpHeaders h) {
        if (h.contains(HttpHeaderNames.CONNECTION)) {
            for (String connection : h.getAll(HttpHeaderNames.CONNECTION)) {
                for (String name : connection.split(",")) {
                    if (!name.isBlank()) h.remove(name.trim());
                }
            }
            h.remove(HttpHeaderNames.CONNECTION);
        }
        h.remove("keep-alive").remove("proxy-connection").remove(HttpHeaderNames.TE)
                .remove(HttpHeaderNames.UPGRADE);
    }
}
