package dev.meshunit.internal.netty;

import dev.meshunit.config.ConnectionPoolSettings;
import dev.meshunit.config.TrafficPolicy;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.nio.NioChannelOption;
import java.time.Duration;
import jdk.net.ExtendedSocketOptions;

/**
 * Istio's {@code tcp.tcpKeepalive}: SO_KEEPALIVE, and the probe count, idle time and interval where the
 * JDK supports them for NIO sockets (Linux, macOS); elsewhere the OS defaults apply.
 */
public final class TcpKeepalive {
    private TcpKeepalive() {}

    public static void apply(Bootstrap b, TrafficPolicy policy) {
        ConnectionPoolSettings cp = policy.connectionPool();
        if (cp == null || cp.tcp() == null || cp.tcp().tcpKeepalive() == null) return;
        ConnectionPoolSettings.TcpKeepalive k = cp.tcp().tcpKeepalive();
        b.option(ChannelOption.SO_KEEPALIVE, true);
        if (k.probes() != null && k.probes() > 0) {
            b.option(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPCOUNT), k.probes());
        }
        if (positive(k.time())) {
            b.option(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPIDLE), seconds(k.time()));
        }
        if (positive(k.interval())) {
            b.option(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPINTERVAL), seconds(k.interval()));
        }
    }

    private static boolean positive(Duration d) {
        return d != null && !d.isZero() && !d.isNegative();
    }

    private static int seconds(Duration d) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, d.toSeconds()));
    }
}
