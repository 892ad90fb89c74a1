package dev.meshunit.internal.tcp;

import dev.meshunit.internal.time.Scheduler;
import dev.meshunit.journal.Connection;
import dev.meshunit.journal.Connection.EndReason;
import dev.meshunit.journal.DestinationRef;
import dev.meshunit.journal.JournalWriter;
import dev.meshunit.journal.ResponseFlag;
import dev.meshunit.journal.RouteRef;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

/** What the journal will say of one proxied connection, filled in as it happens; confined to its event loop. */
final class ConnectionLog {
    private final long id;
    private final Instant start;
    private final Scheduler scheduler;
    private final long startNanos;
    private final String source;
    private final String listener;
    private final Set<ResponseFlag> flags = EnumSet.noneOf(ResponseFlag.class);
    String sni;
    RouteRef route;
    DestinationRef destination;
    String endpoint;
    long bytesFromClient;
    long bytesToClient;
    private EndReason reason;
    private boolean recorded;

    /** Starts now on the proxy's time. */
    ConnectionLog(long id, Scheduler scheduler, String source, String listener) {
        this.id = id;
        this.scheduler = scheduler;
        this.start = scheduler.clock().instant();
        this.startNanos = scheduler.nanoTime();
        this.source = source;
        this.listener = listener;
    }

    /** The first reason given is the one journalled; flags accumulate. */
    void end(EndReason why, ResponseFlag... add) {
        if (reason == null) reason = why;
        for (ResponseFlag f : add) flags.add(f);
    }

    boolean ended() {
        return reason != null;
    }

    void record(JournalWriter journal, EndReason fallback) {
        if (recorded) return;
        recorded = true;
        journal.recordConnection(new Connection(id, start, source, listener, sni, route, destination, endpoint,
                bytesFromClient, bytesToClient, reason == null ? fallback : reason, flags,
                (scheduler.nanoTime() - startNanos) / 1e6));
    }

    static String address(java.net.SocketAddress a) {
        return a instanceof java.net.InetSocketAddress i ? i.getAddress().getHostAddress() + ":" + i.getPort() : String.valueOf(a);
    }
}
