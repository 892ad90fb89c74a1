package dev.meshunit.internal.netty;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The proxy's listeners and event loops. Each proxy owns its threads; nothing is shared between proxies,
 * so tests can run many side by side.
 */
public final class ProxyServer implements AutoCloseable {
    private final ProxyRuntime runtime;
    private final EventLoopGroup group;
    private final Map<EventLoop, ConnectionPool> pools = new HashMap<>();
    private final List<Channel> listeners = new ArrayList<>();
    private final ChannelGroup connections = new DefaultChannelGroup("downstream", ImmediateEventExecutor.INSTANCE);
    private final FatalErrors fatal = new FatalErrors();
    private final DownstreamSide downstream;
    private final Transport transport;

    public ProxyServer(ProxyRuntime runtime, int ioThreads, String threadName) {
        this(runtime, ioThreads, threadName, Transport.choose());
    }

    ProxyServer(ProxyRuntime runtime, int ioThreads, String threadName, Transport transport) {
        this.runtime = runtime;
        this.downstream = new DownstreamSide(runtime);
        this.transport = transport;
        this.group = new MultiThreadIoEventLoopGroup(ioThreads, fatal.threadFactory(threadName),
                transport.ioHandlerFactory());
        for (EventExecutor e : group) {
            EventLoop loop = (EventLoop) e;
            pools.put(loop, new ConnectionPool(loop, runtime, transport));
        }
        runtime.pools(pools);
    }

    /**
     * Opens a listener. With {@code fixedAuthority} null it routes by Host or absolute URI; otherwise every
     * request on it is for that authority (a per-service listener).
     */
    public InetSocketAddress listen(InetSocketAddress address, String fixedAuthority) throws InterruptedException {
        // Envoy's codec_type AUTO: HTTP/2 when the connection opens with its preface, HTTP/1.1 otherwise (which
        // may upgrade to h2c). The guard first: connection limit and idle timeout for both, head limits and
        // timeout for HTTP/1.1.
        return listenWith(address, ch -> {
            DownstreamGuard guard = new DownstreamGuard(downstream);
            ch.pipeline().addLast("guard", guard);
            ch.pipeline().addLast("detect", new CodecDetector(() -> {
                HttpServerCodec http1 = Http1Codec.create(downstream.limits, guard);
                ch.pipeline().addLast("codec", http1);
                ch.pipeline().addLast("h2c", new H2cUpgrade(http1, ch, runtime, fixedAuthority));
                ch.pipeline().addLast("expect", new HttpServerExpectContinueHandler());
                ch.pipeline().addLast("fatal", fatal.sentinel());
                ch.pipeline().addLast("cm", new ConnectionManager(runtime, fixedAuthority, fatal));
            }, () -> {
                guard.http2();
                Http2ConnectionManager.install(ch, runtime, fixedAuthority);
            }));
        });
    }

    /** Opens a listener whose connections {@code init} sets up (e.g. a TCP listener); they close with the proxy. */
    public InetSocketAddress listenWith(InetSocketAddress address, Consumer<Channel> init) throws InterruptedException {
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        connections.add(ch);
                        init.accept(ch);
                    }
                });
        Channel ch = b.bind(address).sync().channel();
        synchronized (listeners) {
            listeners.add(ch);
        }
        return (InetSocketAddress) ch.localAddress();
    }

    /** The socket transport of this proxy's event loops: {@code epoll} or {@code nio}. */
    public String transport() {
        return transport.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Out-of-memory errors and dead event loops of this proxy. */
    public FatalErrors fatalErrors() {
        return fatal;
    }

    public ProxyRuntime runtime() {
        return runtime;
    }

    @Override
    public void close() {
        synchronized (listeners) {
            for (Channel ch : listeners) ch.close().syncUninterruptibly();
            listeners.clear();
        }
        // Shutting the loops down does not reliably close every channel; closing them first also ends their
        // streams, which closes the upstream connections those streams use.
        connections.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        for (ConnectionPool pool : pools.values()) pool.closeAll().awaitUninterruptibly(2, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
