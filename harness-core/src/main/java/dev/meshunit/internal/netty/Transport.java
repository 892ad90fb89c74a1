package dev.meshunit.internal.netty;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.util.Locale;
import jdk.net.ExtendedSocketOptions;

/**
 * The proxy's socket transport: Netty's native epoll on Linux where its library loads (fewer copies and system
 * calls than the JDK's selector), NIO elsewhere, or when {@code -Dmeshunit.transport=nio} asks for it. Every
 * channel of one proxy's event loops must be of the loops' kind, so upstream connections take theirs from here.
 */
public enum Transport {
    EPOLL, NIO;

    /** The system property that picks the transport: {@code epoll} (the default where available) or {@code nio}. */
    static final String PROPERTY = "meshunit.transport";

    /** Epoll where it is available and not turned off, else NIO. */
    static Transport choose() {
        return choose(System.getProperty(PROPERTY, ""), epollAvailable());
    }

    static Transport choose(String asked, boolean epollAvailable) {
        return switch (asked.trim().toLowerCase(Locale.ROOT)) {
            case "nio" -> NIO;
            case "", "epoll", "auto" -> epollAvailable ? EPOLL : NIO;
            default -> throw new IllegalArgumentException(
                    "-D" + PROPERTY + "=" + asked + ": allowed are epoll (the default where available) and nio");
        };
    }

    private static boolean epollAvailable() {
        try {
            return Epoll.isAvailable();
        } catch (LinkageError e) { // the native classes are missing from the class path: NIO
            return false;
        }
    }

    /** Of the channel's kind: what a connection made for {@code ch} (on its event loop) must use. */
    public static Transport of(Channel ch) {
        return ch instanceof EpollSocketChannel || ch instanceof EpollServerSocketChannel ? EPOLL : NIO;
    }

    IoHandlerFactory ioHandlerFactory() {
        return this == EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    }

    Class<? extends ServerChannel> serverChannel() {
        return this == EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    public Class<? extends Channel> socketChannel() {
        return this == EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    /** TCP keep-alive probes, idle time and interval (seconds), in the transport's own options. */
    void keepalive(Bootstrap b, Integer probes, Integer idleSeconds, Integer intervalSeconds) {
        if (this == EPOLL) {
            if (probes != null) b.option(EpollChannelOption.TCP_KEEPCNT, probes);
            if (idleSeconds != null) b.option(EpollChannelOption.TCP_KEEPIDLE, idleSeconds);
            if (intervalSeconds != null) b.option(EpollChannelOption.TCP_KEEPINTVL, intervalSeconds);
            return;
        }
        if (probes != null) b.option(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPCOUNT), probes);
        if (idleSeconds != null) b.option(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPIDLE), idleSeconds);
        if (intervalSeconds != null) b.option(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPINTERVAL), intervalSeconds);
    }
}
