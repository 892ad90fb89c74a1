package dev.meshunit.internal.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;

/** The upstream side of a proxied connection: hands what the endpoint sends, and its close, to the session. */
final class UpstreamRelay extends ChannelInboundHandlerAdapter {
    private final TcpSession session;

    UpstreamRelay(TcpSession session) {
        this.session = session;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        session.fromUpstream((ByteBuf) msg);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) session.upstreamFinished();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        session.failed(ctx.channel(), cause);
    }
}
