import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObject;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

/**
 * Keep-alive connections to the origin, owned by one event loop (only its thread touches them): an idle one is
 * reused, most recently released first, else a new one is connected. At most {@value #MAX_IDLE} stay idle, as
 * nginx's {@code keepalive 64} in run.sh.
 */
final class UpstreamPool {
    static final int MAX_IDLE = 64;

    private final ArrayDeque<Channel> idle = new ArrayDeque<>();
    private final Bootstrap bootstrap;

    UpstreamPool(EventLoop loop, Bootstrap upstream) {
        this.bootstrap = upstream.clone(loop).handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new HttpClientCodec(), new Upstream(UpstreamPool.this));
            }
        });
    }

    /** An idle open connection, or null. */
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

    /** Takes back a connection whose exchange ended cleanly; closes it when it cannot be reused. */
    void release(Channel ch, boolean reusable) {
        ch.pipeline().get(Upstream.class).exchange = null;
        if (!ch.config().isAutoRead()) ch.config().setAutoRead(true); // a pause for a slow client ends with it
        if (reusable && ch.isActive() && idle.size() < MAX_IDLE) idle.addFirst(ch);
        else ch.close();
    }

    static void bind(Channel ch, HttpProxyHandler exchange) {
        ch.pipeline().get(Upstream.class).exchange = exchange;
    }

    /** Hands the response's parts to the exchange the connection serves; an idle connection that closes leaves. */
    static final class Upstream extends ChannelInboundHandlerAdapter {
        private final UpstreamPool pool;
        HttpProxyHandler exchange;

        Upstream(UpstreamPool pool) {
            this.pool = pool;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (exchange != null && msg instanceof HttpObject) {
                exchange.fromUpstream((HttpObject) msg);
            } else { // nothing was asked on this connection: the origin is out of step, do not reuse it
                ReferenceCountUtil.release(msg);
                ctx.close();
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            if (exchange != null) exchange.flushDownstream();
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (exchange != null) exchange.upstreamWritable(ctx.channel().isWritable());
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            pool.idle.remove(ctx.channel());
            HttpProxyHandler e = exchange;
            exchange = null;
            if (e != null) e.upstreamLost();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // channelInactive tells the exchange
        }
    }
}
