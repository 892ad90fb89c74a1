package dev.meshunit.internal.netty;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.TimeUnit;

/**
 * Envoy's delayed close after a local reply that ends the connection: the answer and a FIN first, then what the
 * client still sends is read and dropped until it closes, for at most Envoy's {@code delayed_close_timeout} (1 s,
 * wall clock). Closing at once with unread input would send a reset, and a client still sending (a head refused
 * before it ended) would lose the answer.
 */
final class DelayedClose {
    private static final long TIMEOUT_MS = 1000;

    private DelayedClose() {}

    static void close(ChannelHandlerContext ctx) {
        Channel ch = ctx.channel();
        if (!(ch instanceof DuplexChannel duplex) || !ch.isActive()) {
            ctx.close();
            return;
        }
        ch.pipeline().addFirst(new Discard());
        duplex.shutdownOutput().addListener(f -> {
            if (!f.isSuccess()) {
                ch.close();
                return;
            }
            ch.eventLoop().schedule(() -> ch.close(), TIMEOUT_MS, TimeUnit.MILLISECONDS);
        });
    }

    @ChannelHandler.Sharable
    private static final class Discard extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }
    }
}
