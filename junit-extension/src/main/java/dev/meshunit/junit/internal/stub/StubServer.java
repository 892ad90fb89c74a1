package dev.meshunit.junit.internal.stub;

import dev.meshunit.junit.RecordedRequest;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The stub's HTTP/1.1 server on Netty: one event-loop thread of its own, {@code TCP_NODELAY} on every
 * connection (no Nagle and delayed-ACK stalls on keep-alive answers), bodies up to 16 MiB.
 */
public final class StubServer implements AutoCloseable {
    /** Names the stub that answered: its label. */
    public static final String LABEL_HEADER = "x-meshunit-stub";
    private static final int MAX_BODY = 16 * 1024 * 1024;

    private final EventLoopGroup group;
    private final Channel listener;
    private final ChannelGroup connections;
    private final AtomicBoolean closed = new AtomicBoolean();

    public StubServer(String bindHost, int port, StubScript script, String label, Consumer<RecordedRequest> recorder) {
        group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("meshunit-stub-" + (label == null ? "" : label), true),
                NioIoHandler.newFactory());
        connections = new DefaultChannelGroup(group.next());
        AtomicLong connectionIds = new AtomicLong();
        AtomicLong sequence = new AtomicLong();
        try {
            listener = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            connections.add(ch);
                            ch.pipeline().addLast(new HttpServerCodec(), new HttpServerExpectContinueHandler(),
                                    new HttpObjectAggregator(MAX_BODY),
                                    new StubHandler(script, label, connectionIds.incrementAndGet(), sequence::incrementAndGet, recorder));
                        }
                    })
                    .bind(new InetSocketAddress(bindHost, port)).syncUninterruptibly().channel();
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            throw e;
        }
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    /** Closes the listener and every connection, and waits for the thread to end; idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        listener.close().syncUninterruptibly();
        connections.close().syncUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
