import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.util.CharsetUtil;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

/**
 * The {@code raw} floor: a reverse proxy on a hand-written HTTP/1.1 codec ({@link RawHttp}), ByteBufs in and out,
 * no Netty HTTP objects. Each head is parsed into names and values and written again without its hop-by-hop
 * headers, bodies (Content-Length only) are passed through as slices, upstream connections are kept alive in a
 * per-event-loop pool. One request at a time per connection (pipelined bytes wait in the cumulation); no
 * back-pressure and no timeouts: it measures what such a codec costs, it is not a proxy to use.
 */
final class RawHttpProxyHandler extends ChannelInboundHandlerAdapter {
    private final Pool pool;
    private ChannelHandlerContext ctx;
    private ByteBuf in;
    private Channel upstream;
    private long requestBodyLeft;
    private boolean inFlight, keepAlive;
    private ByteBuf pendingHead; // the request head while its upstream connection is made

    RawHttpProxyHandler(Pool pool) {
        this.pool = pool;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf data = (ByteBuf) msg;
        if (in == null) in = data;
        else in = ctx.alloc().compositeBuffer().addComponents(true, in, data);
        drive();
    }

    private void drive() {
        while (in != null && in.isReadable()) {
            if (requestBodyLeft > 0) {
                int n = (int) Math.min(requestBodyLeft, in.readableBytes());
                ByteBuf part = in.readRetainedSlice(n);
                requestBodyLeft -= n;
                if (upstream != null && pendingHead == null) upstream.write(part, upstream.voidPromise());
                else ReferenceCountUtil.release(part); // the floor sends no body before the connection is up
                continue;
            }
            if (inFlight) break; // the next request waits for this answer
            RawHttp req = RawHttp.parse(in);
            if (req == null) break;
            if (!req.supported) {
                ctx.writeAndFlush(Unpooled.copiedBuffer("HTTP/1.1 501 Not Implemented\r\ncontent-length: 0\r\n"
                        + "connection: close\r\n\r\n", CharsetUtil.US_ASCII)).addListener(f -> ctx.close());
                release();
                return;
            }
            inFlight = true;
            keepAlive = !req.close;
            requestBodyLeft = req.contentLength;
            ByteBuf head = ctx.alloc().buffer(256);
            req.write(head);
            Channel idle = pool.poll();
            if (idle != null) {
                bind(idle);
                upstream.write(head, upstream.voidPromise());
            } else {
                pendingHead = head;
                pool.connect().addListener((ChannelFuture f) -> connected(f));
            }
        }
        if (in != null && !in.isReadable()) release();
        if (upstream != null) upstream.flush();
    }

    private void connected(ChannelFuture f) {
        ByteBuf head = pendingHead;
        pendingHead = null;
        if (!f.isSuccess() || !ctx.channel().isActive()) {
            head.release();
            if (f.isSuccess()) f.channel().close();
            ctx.writeAndFlush(Unpooled.copiedBuffer("HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\n"
                    + "connection: close\r\n\r\n", CharsetUtil.US_ASCII)).addListener(x -> ctx.close());
            return;
        }
        bind(f.channel());
        upstream.writeAndFlush(head, upstream.voidPromise());
    }

    private void bind(Channel ch) {
        upstream = ch;
        ch.pipeline().get(Upstream.class).exchange = this;
    }

    /** The answer's bytes, head rewritten; {@code last} once its body is complete. */
    void fromUpstream(ByteBuf bytes, boolean last) {
        ctx.write(bytes, ctx.voidPromise());
        if (!last) return;
        ctx.flush(); // the pool's release below unbinds the connection, whose read-complete would have flushed
        Channel done = upstream;
        upstream = null;
        inFlight = false;
        pool.release(done);
        if (!keepAlive) {
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> ctx.close());
            return;
        }
        drive();
    }

    void flushDownstream() {
        ctx.flush();
    }

    private void release() {
        if (in != null) {
            in.release();
            in = null;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        release();
        if (upstream != null) upstream.close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    /** Keep-alive origin connections of one event loop, most recently released first; at most 64 idle. */
    static final class Pool {
        private final ArrayDeque<Channel> idle = new ArrayDeque<>();
        private final Bootstrap bootstrap;

        Pool(EventLoop loop, Bootstrap upstream) {
            this.bootstrap = upstream.clone(loop).handler(new ChannelInitializer<Channel>() {
                @Override
                protected void initChannel(Channel ch) {
                    ch.pipeline().addLast(new Upstream());
                }
            });
        }

        Channel poll() {
            Channel ch;
            while ((ch = idle.pollFirst()) != null) {
                if (ch.isActive()) return ch;
            }
            return null;
        }

        ChannelFuture connect() {
            return bootstrap.connect();
        }

        void release(Channel ch) {
            ch.pipeline().get(Upstream.class).exchange = null;
            if (ch.isActive() && idle.size() < 64) idle.addFirst(ch);
            else ch.close();
        }
    }

    /** Parses the origin's answer: its head rewritten, its Content-Length body passed through as slices. */
    static final class Upstream extends ChannelInboundHandlerAdapter {
        RawHttpProxyHandler exchange;
        private ByteBuf in;
        private long bodyLeft = -1; // -1: reading a head

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf data = (ByteBuf) msg;
            if (exchange == null) { // nothing was asked: the origin is out of step
                data.release();
                ctx.close();
                return;
            }
            in = in == null ? data : ctx.alloc().compositeBuffer().addComponents(true, in, data);
            while (exchange != null && in.isReadable()) {
                if (bodyLeft < 0) {
                    RawHttp res = RawHttp.parse(in);
                    if (res == null) break;
                    if (!res.supported) {
                        ctx.close();
                        break;
                    }
                    ByteBuf head = ctx.alloc().buffer(256);
                    res.write(head);
                    bodyLeft = res.contentLength;
                    exchange.fromUpstream(head, bodyLeft == 0 && finish());
                } else {
                    int n = (int) Math.min(bodyLeft, in.readableBytes());
                    ByteBuf part = in.readRetainedSlice(n);
                    bodyLeft -= n;
                    exchange.fromUpstream(part, bodyLeft == 0 && finish());
                }
            }
            if (in != null && !in.isReadable()) {
                in.release();
                in = null;
            }
        }

        /** The answer is complete: the next bytes start a head. */
        private boolean finish() {
            bodyLeft = -1;
            return true;
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            if (exchange != null) exchange.flushDownstream();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (in != null) {
                in.release();
                in = null;
            }
            if (exchange != null) exchange.ctx.close();
        }
    }
}
