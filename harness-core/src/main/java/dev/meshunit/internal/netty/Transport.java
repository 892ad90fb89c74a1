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
import java.util.function.BooleanSupplier;
import jdk.net.ExtendedSocketOptions;

/**
 * The proxy's socket transport: Netty's native epoll on Linux where its library loads (fewer copies and system
 * calls than the JDK's selector), NIO elsewhere, or when {@code -Dmeshunit.transport=nio} asks for it. On JDK 24
 * and later, loading a native library from code without native access makes the JVM print a warning (JEP 472) in
 * the user's test output; there the default is NIO unless the JVM runs with {@code --enable-native-access} for
 * MeshUnit's module ({@code ALL-UNNAMED} on the class path) or {@code -Dmeshunit.transport=epoll} asks for epoll
 * anyway. Every channel of one proxy's event loops must be of the loops' kind, so upstream connections take theirs
 * from here.
 */
public enum Transport {
    EPOLL, NIO;

    /** The system property that picks the transport: {@code epoll} (the default where available) or {@code nio}. */
    static final String PROPERTY = "meshunit.transport";

    /** Epoll where it is available, not turned off and loads without a JVM warning, else NIO. */
    static Transport choose() {
        return choose(System.getProperty(PROPERTY, ""), Transport::nativeAccessWouldWarn, Transport::epollAvailable);
    }

    /**
     * Probes epoll only when it may be used, so that asking for NIO (or taking it by default where loading would
     * warn) does not load the native library.
     */
    static Transport choose(String asked, BooleanSupplier loadingWouldWarn, BooleanSupplier epollAvailable) {
        return switch (asked.trim().toLowerCase(Locale.ROOT)) {
            case "nio" -> NIO;
            case "", "auto" -> !loadingWouldWarn.getAsBoolean() && epollAvailable.getAsBoolean() ? EPOLL : NIO;
            case "epoll" -> epollAvailable.getAsBoolean() ? EPOLL : NIO;
            default -> throw new IllegalArgumentException(
                    "-D" + PROPERTY + "=" + asked + ": allowed are epoll (the default where available) and nio");
        };
    }

    /**
     * Whether loading the native library would make this JVM warn: JDK 24 and later do (JEP 472) unless this
     * code's module has native access. Read reflectively: {@code Module.isNativeAccessEnabled} is JDK 22's.
     */
    static boolean nativeAccessWouldWarn() {
        return nativeAccessWouldWarn(Runtime.version().feature(), Transport.class.getModule());
    }

    static boolean nativeAccessWouldWarn(int jdkFeature, Module module) {
        if (jdkFeature < 24) return false;
        try {
            return !(Boolean) Module.class.getMethod("isNativeAccessEnabled").invoke(module);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false; // not knowable: as before JEP 472
        }
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
