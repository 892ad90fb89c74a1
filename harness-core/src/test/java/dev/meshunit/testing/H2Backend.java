package dev.meshunit.testing;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
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
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.CleartextHttp2ServerUpgradeHandler;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Netty HTTP server on 127.0.0.1 that speaks HTTP/1.1 and HTTP/2 on one port: h2c with prior knowledge next to
 * HTTP/1.1 in plain text, or h2 / http/1.1 by ALPN over TLS. Answers 200 with the protocol the request came in
 * ({@code x-protocol}); a path starting with {@code /hold} is answered only once {@link #release()} is called.
 * Counts connections, requests per protocol and the most requests in flight at once.
 */
public final class H2Backend implements AutoCloseable {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel server;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final List<String> protocols = new CopyOnWriteArrayList<>();
    private volatile CompletableFuture<Void> held = new CompletableFuture<>();

    /** Plain text: h2c with prior knowledge or HTTP/1.1. */
    public H2Backend() throws InterruptedException {
        this(null, 0);
    }

    /**
     * @param tls null for plain text, else a server context offering h2 and http/1.1 by ALPN
     * @param maxConcurrentStreams the SETTINGS_MAX_CONCURRENT_STREAMS it announces (0: Netty's default)
     */
    public H2Backend(SslContext tls, int maxConcurrentStreams) throws InterruptedException {
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        connections.incrementAndGet();
                        open.incrementAndGet();
                        ch.closeFuture().addListener(f -> open.decrementAndGet());
                        if (tls == null) {
                            HttpServerCodec h1 = new HttpServerCodec();
                            ch.pipeline().addLast(new CleartextHttp2ServerUpgradeHandler(h1,
                                    new HttpServerUpgradeHandler(h1, protocol -> null), http2(maxConcurrentStreams)));
                            ch.pipeline().addLast(new HttpObjectAggregator(1 << 20), new Answer("HTTP/1.1"));
                            return;
                        }
                        ch.pipeline().addLast(tls.newHandler(ch.alloc()), new ApplicationProtocolNegotiationHandler(ApplicationProtocolNames.HTTP_1_1) {
                            @Override
                            protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
                                ChannelPipeline p = ctx.pipeline();
                                if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
                                    p.addLast(http2(maxConcurrentStreams));
                                } else {
                                    p.addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20), new Answer("HTTP/1.1"));
                                }
                            }
                        });
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    }

    private ChannelInitializer<Channel> http2(int maxConcurrentStreams) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                Http2Settings settings = Http2Settings.defaultSettings();
                if (maxConcurrentStreams > 0) settings.maxConcurrentStreams(maxConcurrentStreams);
                ch.pipeline().addLast(Http2FrameCodecBuilder.forServer().initialSettings(settings).build(),
                        new Http2MultiplexHandler(new ChannelInitializer<Channel>() {
                            @Override
                            protected void initChannel(Channel stream) {
                                stream.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(true),
                                        new HttpObjectAggregator(1 << 20), new Answer("HTTP/2"));
                            }
                        }));
            }
        };
    }

    private final class Answer extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final String protocol;

        Answer(String protocol) {
            this.protocol = protocol;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            protocols.add(protocol);
            int now = inFlight.incrementAndGet();
            maxInFlight.accumulateAndGet(now, Math::max);
            String body = protocol + " " + req.uri();
            Runnable answer = () -> {
                inFlight.decrementAndGet();
                DefaultFullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                        Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
                r.headers().set(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes()).set("x-protocol", protocol);
                ctx.writeAndFlush(r);
            };
            if (req.uri().startsWith("/hold")) {
                held.thenRun(() -> ctx.executor().execute(answer));
            } else {
                answer.run();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** Connections accepted so far. */
    public int connections() {
        return connections.get();
    }

    /** Connections open now. */
    public int openConnections() {
        return open.get();
    }

    /** The protocol of every request answered or held, in order of arrival. */
    public List<String> protocols() {
        return List.copyOf(protocols);
    }

    public int inFlight() {
        return inFlight.get();
    }

    public int maxInFlight() {
        return maxInFlight.get();
    }

    /** Answers the requests held so far; later {@code /hold} requests are held again. */
    public void release() {
        CompletableFuture<Void> h = held;
        held = new CompletableFuture<>();
        h.complete(null);
    }

    @Override
    public void close() {
        held.complete(null);
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }
}
