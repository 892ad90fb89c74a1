package dev.meshunit.testing;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A real WebSocket server on 127.0.0.1 (Netty's own WebSocket codec): echoes each text message as
 * {@code name:message}, closes (1000) when told {@code close}, drops
 * the TCP connection without a close frame when told {@code drop}, greets first on {@code /greet}, sends
 * {@code N} binary frames as fast as its connection takes them when told {@code flood:N}, refuses the
 * upgrade with 403 on {@code /forbidden} and never answers on {@code /hang}. Records the upgrade requests' paths
 * and headers.
 */
public final class WebSocketEcho implements AutoCloseable {
    /** The handshake as the server saw it. */
    public record Handshake(String path, String upgrade, String connection, String host) {}

    private final String name;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel server;
    private final List<Handshake> handshakes = new CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicLong flooded = new java.util.concurrent.atomic.AtomicLong();
    /** The payload of each binary frame {@code flood:N} sends (under 64 KiB: 4 bytes of frame header). */
    public static final int FLOOD_FRAME = 60_000;

    private WebSocketEcho(String name) throws InterruptedException {
        this.name = name;
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(65536), new Gate(),
                                new WebSocketServerProtocolHandler(WebSocketServerProtocolConfig.newBuilder()
                                        .websocketPath("/").checkStartsWith(true).sendCloseFrame(null).build()),
                                new Echo());
                    }
                }).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    }

    public static WebSocketEcho named(String name) {
        try {
            return new WebSocketEcho(name);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public String name() {
        return name;
    }

    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** Payload bytes of {@code flood:N} frames the server's socket took so far. */
    public long flooded() {
        return flooded.get();
    }

    public List<Handshake> handshakes() {
        return List.copyOf(handshakes);
    }

    /** Records upgrade requests; refuses or holds those whose path says so. */
    private final class Gate extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof FullHttpRequest req) {
                handshakes.add(new Handshake(req.uri(), req.headers().get(HttpHeaderNames.UPGRADE),
                        req.headers().get(HttpHeaderNames.CONNECTION), req.headers().get(HttpHeaderNames.HOST)));
                if (req.uri().startsWith("/forbidden")) {
                    req.release();
                    DefaultFullHttpResponse no = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                            HttpResponseStatus.FORBIDDEN, Unpooled.copiedBuffer("no " + name, StandardCharsets.UTF_8));
                    no.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, no.content().readableBytes());
                    ctx.writeAndFlush(no);
                    return;
                }
                if (req.uri().startsWith("/hang")) {
                    req.release();
                    return;
                }
            }
            ctx.fireChannelRead(msg);
        }
    }

    private final class Echo extends SimpleChannelInboundHandler<TextWebSocketFrame> {
        private int floodLeft;

        /** Binary frames of {@link #FLOOD_FRAME} bytes, written only while the connection takes them. */
        private void flood(ChannelHandlerContext ctx) {
            while (floodLeft > 0 && ctx.channel().isWritable()) {
                floodLeft--;
                ctx.writeAndFlush(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(new byte[FLOOD_FRAME])))
                        .addListener(f -> {
                            if (f.isSuccess()) flooded.addAndGet(FLOOD_FRAME);
                        });
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            flood(ctx);
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete hc && hc.requestUri().startsWith("/greet")) {
                ctx.writeAndFlush(new TextWebSocketFrame("hello from " + name));
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
            String text = frame.text();
            if (text.equals("close")) {
                ctx.writeAndFlush(new CloseWebSocketFrame(1000, "")).addListener(ChannelFutureListener.CLOSE);
            } else if (text.equals("drop")) {
                ctx.close();
            } else if (text.startsWith("flood:")) {
                floodLeft = Integer.parseInt(text.substring(6));
                flood(ctx);
            } else {
                ctx.writeAndFlush(new TextWebSocketFrame(name + ":" + text));
            }
        }
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
