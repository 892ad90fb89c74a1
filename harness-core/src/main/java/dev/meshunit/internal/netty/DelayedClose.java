package dev.meshunit.internal.netty;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.TimeUnit;

/**
 * Envoy's {@code delayed_close_timeout} (1 s) for a downstream connection the proxy closes after its answer:
 * FIN first, then whatever the client still sends is read and dropped until it closes too or the second is up.
 * Closing at once over bytes not yet read would send a reset, and a client that gets it before reading the
 * answer (a 431 to a head still arriving, say) loses the answer.
 */
final class DelayedClose extends ChannelInboundHandlerAdapter {
    static final long TIMEOUT_MS = 1000;

    private DelayedClose() {}

    /** Closes {@code ctx}'s connection once the answer written before is out. */
    static void close(ChannelHandlerContext ctx) {
        Channel ch = ctx.channel();
        if (!(ch instanceof DuplexChannel duplex) || !ch.isActive() || duplex.isOutputShutdown()) {
            ctx.close();
            return;
        }
        ch.pipeline().addFirst("delayed-close", new DelayedClose());
        duplex.shutdownOutput();
        ch.config().setAutoRead(true); // whatever read holds there were: only draining is left
        ch.read();
        ch.eventLoop().schedule(() -> {
            ch.close();
        }, TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // nothing to pass on: the connection's handlers are done with it
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof io.netty.channel.socket.ChannelInputShutdownEvent) {
            ctx.close(); // the client closed its side too
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close(); // a reset from the client while draining: nothing left to say
    }
}
