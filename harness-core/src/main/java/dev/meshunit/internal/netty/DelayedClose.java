package dev.meshunit.internal.netty;

import dev.meshunit.internal.time.Scheduler;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;

/**
 * Envoy's delayed close ({@code delayed_close_timeout}, 1 s) for a downstream connection the proxy ends after
 * its answer: the answer is followed by a FIN, and what the client still sends is read and dropped until it
 * closes or the timeout passes. Closing at once with unread bytes in the socket would make the kernel send
 * RST, which can destroy the answer (a 431 for a 100 KiB head) before the client reads it.
 */
final class DelayedClose extends ChannelInboundHandlerAdapter {
    static final long TIMEOUT_MS = 1_000;

    private DelayedClose() {}

    /** Ends {@code ch} after what was written to it; on its event loop. */
    static void close(Channel ch, Scheduler scheduler) {
        if (!ch.isActive() || !(ch instanceof DuplexChannel duplex) || ch.pipeline().get(DelayedClose.class) != null) {
            ch.close();
            return;
        }
        ch.pipeline().addFirst("delayed-close", new DelayedClose());
        duplex.shutdownOutput().addListener(f -> {
            if (!f.isSuccess()) ch.close();
        });
        Scheduler.Timer timer = scheduler.scheduleGuard(ch.eventLoop(), ch::close, TIMEOUT_MS);
        ch.closeFuture().addListener(f -> timer.cancel());
        ch.config().setAutoRead(true);
        ch.read();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // nothing for the handlers behind: the connection is closing
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            ctx.close();
        } else {
            ReferenceCountUtil.release(evt);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close(); // a reset from the client while closing: nothing left to answer
    }
}
