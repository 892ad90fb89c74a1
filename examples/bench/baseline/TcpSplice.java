import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * One client connection spliced to one upstream connection of its own, made on the same event loop: the bytes read
 * on one side are written to the other as they are (no decoding, no copy), flushed once per read burst, with
 * back-pressure both ways and the close passed on. The floor of any proxy on Netty's I/O.
 */
final class TcpSplice extends ChannelInboundHandlerAdapter {
    private final Bootstrap upstream;

    TcpSplice(Bootstrap upstream) {
        this.upstream = upstream;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        Channel client = ctx.channel();
        ChannelFuture f = upstream.clone(client.eventLoop()).handler(new Relay(client)).connect();
        f.addListener((ChannelFuture done) -> {
            if (!done.isSuccess()) {
                client.close();
                return;
            }
            if (!client.isActive()) {
                done.channel().close();
                return;
            }
            ctx.pipeline().replace(this, "relay", new Relay(done.channel()));
            client.config().setAutoRead(true);
        });
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        // closed before the upstream connection was up: the connect listener closes that one
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    /** Writes what its channel reads to the peer. */
    static final class Relay extends ChannelInboundHandlerAdapter {
        private final Channel peer;

        Relay(Channel peer) {
            this.peer = peer;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            peer.write(msg, peer.voidPromise());
            if (!peer.isWritable()) ctx.channel().config().setAutoRead(false);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            peer.flush();
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable()) peer.config().setAutoRead(true);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (peer.isActive()) peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
