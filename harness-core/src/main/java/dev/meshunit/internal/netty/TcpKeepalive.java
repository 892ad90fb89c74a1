package dev.meshunit.internal.netty;

import dev.meshunit.config.ConnectionPoolSettings;
import dev.meshunit.config.TrafficPolicy;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import java.time.Duration;

/**
 * Istio's {@code tcp.tcpKeepalive}: SO_KEEPALIVE, and the probe count, idle time and interval (epoll's own
 * options, or the JDK's for NIO sockets on Linux and macOS); elsewhere the OS defaults apply.
 */
public final class TcpKeepalive {
    private TcpKeepalive() {}

    public static void apply(Bootstrap b, TrafficPolicy policy, Transport transport) {
        ConnectionPoolSettings cp = policy.connectionPool();
        if (cp == null || cp.tcp() == null || cp.tcp().tcpKeepalive() == null) return;
        ConnectionPoolSettings.TcpKeepalive k = cp.tcp().tcpKeepalive();
        b.option(ChannelOption.SO_KEEPALIVE, true);
        transport.keepalive(b, k.probes() != null && k.probes() > 0 ? k.probes() : null,
                positive(k.time()) ? seconds(k.time()) : null, positive(k.interval()) ? seconds(k.interval()) : null);
    }

    private static boolean positive(Duration d) {
        return d != null && !d.isZero() && !d.isNegative();
    }

    private static int seconds(Duration d) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, d.toSeconds()));
    }
}
