package dev.meshunit.chaos.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/** Feeds what one socket reads into the connection; the same class serves client and upstream. */
final class RelayHandler extends ChannelInboundHandlerAdapter {
    private final ProxyConnection connection;
    private final boolean clientSide;

    RelayHandler(ProxyConnection connection, boolean clientSide) {
        this.connection = connection;
        this.clientSide = clientSide;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (clientSide) {
            connection.clientActive();
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        connection.read(clientSide, (ByteBuf) msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        connection.readComplete(clientSide);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        connection.inactive(clientSide);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
