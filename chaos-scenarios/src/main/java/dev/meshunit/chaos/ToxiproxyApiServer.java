package dev.meshunit.chaos;

import dev.meshunit.chaos.internal.api.ApiHttpHandler;
import dev.meshunit.chaos.internal.api.ApiRouter;
import dev.meshunit.chaos.internal.BodyLimit;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.util.concurrent.DefaultEventExecutor;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * Toxiproxy's HTTP API (the endpoints, JSON shapes, status codes and error bodies toxiproxy-java
 * and the toxiproxy CLI use) over a {@link ToxicProxyServer}. Closing it leaves the proxies running.
 */
public final class ToxiproxyApiServer implements AutoCloseable {
    public static final int DEFAULT_PORT = 8474;
    private static final int MAX_BODY = 1024 * 1024;
    /** Toxiproxy's error shape; no Toxiproxy request comes near the cap. */
    private static final String TOO_LARGE = "{\"error\":\"request body over " + MAX_BODY + " bytes\",\"status\":413}";

    private final EventLoopGroup group;
    private final EventExecutor blocking;
    private final Channel listener;
    private final String threadPrefix;
    private boolean closed;

    private ToxiproxyApiServer(InetSocketAddress bind, ToxicProxyServer proxies) {
        String prefix = "meshunit-toxiproxy-api-" + Integer.toHexString(System.identityHashCode(this));
        this.threadPrefix = prefix;
        this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory(prefix + "-io", true),
                NioIoHandler.newFactory());
        this.blocking = new DefaultEventExecutor(new DefaultThreadFactory(prefix + "-handler", true));
        ApiRouter router = new ApiRouter(proxies);
        ChannelFuture bound = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpServerExpectContinueHandler(),
                                new BodyLimit(MAX_BODY, TOO_LARGE), new ApiHttpHandler(router, blocking));
                    }
                })
                .bind(bind)
                .awaitUninterruptibly();
        if (!bound.isSuccess()) {
            shutdown();
            throw new ChaosException(500, "listen tcp " + bind + ": " + bound.cause().getMessage(), bound.cause());
        }
        this.listener = bound.channel();
    }

    /** Starts the API on {@code bind} (port 0 for a free one). */
    public static ToxiproxyApiServer start(InetSocketAddress bind, ToxicProxyServer proxies) {
        return new ToxiproxyApiServer(bind, proxies);
    }

    /** Starts the API on 127.0.0.1:{@code port}. */
    public static ToxiproxyApiServer start(int port, ToxicProxyServer proxies) {
        return start(new InetSocketAddress("127.0.0.1", port), proxies);
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    public int port() {
        return address().getPort();
    }

    /** The prefix of every thread this API server starts, for leak checks. */
    public String threadNamePrefix() {
        return threadPrefix;
    }

    /** Stops listening and releases the API's threads. Idempotent; does not close the proxies. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        listener.close().awaitUninterruptibly();
        shutdown();
    }

    private void shutdown() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        blocking.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }
}
