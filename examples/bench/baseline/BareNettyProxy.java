import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.util.Version;
import io.netty.util.concurrent.EventExecutor;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * The floor of a reverse proxy on Netty, for examples/bench/run.sh's {@code --extra}: what any proxy built on
 * Netty's HTTP/1.1 codecs costs per request on this JVM, with nothing a correct proxy could leave out added
 * (no routing, filters, journal, timers). Not part of the product; see README.md beside run.sh.
 *
 * <pre>BareNettyProxy http|tcp PORT ORIGIN_PORT</pre>
 *
 * <ul>
 *   <li>{@code http}: HttpServerCodec downstream, HttpClientCodec upstream, a per-event-loop pool of keep-alive
 *       upstream connections, the response streamed back part by part (no aggregation).
 *   <li>{@code raw}: a hand-written HTTP/1.1 codec on ByteBufs ({@link RawHttpProxyHandler}), no Netty HTTP objects:
 *       the floor of a proxy with its own codec. Content-Length bodies only, one request at a time per connection.
 *   <li>{@code tcp}: no HTTP at all, each client connection spliced to an upstream connection of its own, ByteBufs
 *       passed through: the floor of Netty's I/O.
 * </ul>
 *
 * One event loop (the product has one per available core, and run.sh pins it to one), the native epoll transport
 * where it loads, NIO elsewhere or with {@code -Dmeshunit.transport=nio}, as the product's Transport chooses;
 * TCP_NODELAY on both sides and a backlog of 1024, as the product's ProxyServer and ConnectionPool set them.
 */
public final class BareNettyProxy {

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 3 || !(args[0].equals("http") || args[0].equals("tcp") || args[0].equals("raw"))) {
            System.err.println("usage: BareNettyProxy http|raw|tcp PORT ORIGIN_PORT (listens on 127.0.0.1:PORT)");
            System.exit(2);
        }
        boolean http = args[0].equals("http");
        InetSocketAddress listen = new InetSocketAddress("127.0.0.1", Integer.parseInt(args[1]));
        InetSocketAddress origin = new InetSocketAddress("127.0.0.1", Integer.parseInt(args[2]));

        boolean epoll = !"nio".equalsIgnoreCase(System.getProperty("meshunit.transport", "")) && Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> serverChannel = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        Class<? extends Channel> socketChannel = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, io);

        Bootstrap upstream = new Bootstrap()
                .channel(socketChannel)
                .option(ChannelOption.TCP_NODELAY, true)
                .remoteAddress(origin);
        ChannelHandler child;
        if (args[0].equals("raw")) {
            Map<EventLoop, RawHttpProxyHandler.Pool> pools = new HashMap<>();
            for (EventExecutor e : group) pools.put((EventLoop) e, new RawHttpProxyHandler.Pool((EventLoop) e, upstream));
            child = new ChannelInitializer<Channel>() {
                @Override
                protected void initChannel(Channel ch) {
                    ch.pipeline().addLast(new RawHttpProxyHandler(pools.get(ch.eventLoop())));
                }
            };
        } else if (http) {
            // One pool per event loop, as the product keeps them: a pool is only touched by its own loop's thread.
            Map<EventLoop, UpstreamPool> pools = new HashMap<>();
            for (EventExecutor e : group) pools.put((EventLoop) e, new UpstreamPool((EventLoop) e, upstream));
            child = new ChannelInitializer<Channel>() {
                @Override
                protected void initChannel(Channel ch) {
                    // Expect: 100-continue answered here, as the product does, so that no 1xx comes from upstream
                    ch.pipeline().addLast(new HttpServerCodec(), new HttpServerExpectContinueHandler(),
                            new HttpProxyHandler(pools.get(ch.eventLoop())));
                }
            };
        } else {
            child = new ChannelInitializer<Channel>() {
                @Override
                protected void initChannel(Channel ch) {
                    ch.config().setAutoRead(false); // until the upstream connection is up
                    ch.pipeline().addLast(new TcpSplice(upstream));
                }
            };
        }
        Channel listener = new ServerBootstrap()
                .group(group)
                .channel(serverChannel)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(child)
                .bind(listen).sync().channel();
        System.out.printf("bare-netty %s proxy listening on %s, origin %s, transport %s, Netty %s%n",
                args[0], listener.localAddress(), origin, epoll ? "epoll" : "nio",
                Version.identify().get("netty-common").artifactVersion());
        listener.closeFuture().sync();
    }
}
