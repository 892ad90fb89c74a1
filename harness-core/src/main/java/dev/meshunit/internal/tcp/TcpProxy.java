package dev.meshunit.internal.tcp;

import dev.meshunit.journal.JournalWriter;
import dev.meshunit.internal.routing.L4Listener;
import dev.meshunit.internal.routing.TcpRouteTable;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import java.net.InetAddress;
import dev.meshunit.internal.time.Scheduler;
import dev.meshunit.upstream.UpstreamAddressing;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The L4 side of one proxy (Envoy's tcp_proxy filter behind per-port listeners): the current tcp/tls route
 * table, swapped whole on reload, and what every proxied connection shares with the HTTP side: the journal,
 * the seeded random source and the scheduler time comes from.
 */
public final class TcpProxy {
    /** Envoy's default listener_filters_timeout: how long a TLS listener waits for the ClientHello. */
    public static final Duration INSPECTION_TIMEOUT = Duration.ofSeconds(15);

    private final AtomicReference<TcpRouteTable> table;
    final JournalWriter journal;
    final Random random;
    final Scheduler scheduler;
    private final long inspectionTimeoutMs;
    /** Null when connections go straight to the endpoints. */
    final UpstreamAddressing addressing;
    private volatile boolean closing;

    public TcpProxy(TcpRouteTable table, JournalWriter journal, Random random, Scheduler scheduler,
                    Duration inspectionTimeout, UpstreamAddressing addressing) {
        this.addressing = addressing;
        this.table = new AtomicReference<>(table);
        this.journal = journal;
        this.random = random;
        this.scheduler = scheduler;
        this.inspectionTimeoutMs = Math.max(1, inspectionTimeout.toMillis());
    }

    public TcpRouteTable table() {
        return table.get();
    }

    public void swap(TcpRouteTable next) {
        table.set(next);
    }

    /** Connections that end from now on end because the proxy closes. */
    public void closing() {
        closing = true;
    }

    boolean isClosing() {
        return closing;
    }

    /**
     * Sets up an accepted connection of {@code listener}. {@code destinations} are the addresses the service
     * declares (what destinationSubnets match); empty means the address the client dialled.
     */
    public void init(Channel ch, L4Listener listener, List<InetAddress> destinations) {
        // Back-pressure as in Netty's proxy example: each side reads again only when the other side took the bytes.
        ch.config().setAutoRead(false);
        ch.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        if (listener.tls()) ch.pipeline().addLast("sni", new SniInspector(inspectionTimeoutMs));
        ch.pipeline().addLast("tcp", new TcpSession(this, listener, destinations));
    }
}
