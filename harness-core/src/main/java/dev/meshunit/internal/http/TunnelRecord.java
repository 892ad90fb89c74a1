package dev.meshunit.internal.http;

import dev.meshunit.internal.time.Scheduler;
import dev.meshunit.journal.Connection;
import dev.meshunit.journal.ResponseFlag;
import java.time.Instant;
import java.util.Set;

/**
 * What the journal will say of one upgraded connection (a WebSocket tunnel): taken from its upgrade stream when
 * the 101 went out, completed with bytes each way and the end reason when both sides closed. The connection
 * links to the upgrade's exchange by its id.
 */
public final class TunnelRecord {
    private final StreamContext context;
    private final StreamInfo info;
    private final String endpoint;
    private final long id;
    private final Instant start;
    private final long startNanos;

    TunnelRecord(StreamContext context, StreamInfo info, String endpoint) {
        this.context = context;
        this.info = info;
        this.endpoint = endpoint;
        Scheduler scheduler = context.scheduler();
        this.id = context.journal().nextId();
        this.start = scheduler.clock().instant();
        this.startNanos = scheduler.nanoTime();
    }

    /** The proxy's time source, for the tunnel's own timers. */
    public Scheduler scheduler() {
        return context.scheduler();
    }

    /** Journals the tunnel; called once, when both sides have closed. */
    public void ended(long bytesFromClient, long bytesToClient, Connection.EndReason reason, Set<ResponseFlag> flags) {
        RequestHead r = info.request();
        double ms = (context.scheduler().nanoTime() - startNanos) / 1e6;
        context.journal().recordConnection(new Connection(id, start, r.source(), r.authority(), null, info.routeRef(),
                info.clusterKey() == null ? null : context.destinationRef(info.clusterKey()), endpoint, bytesFromClient,
                bytesToClient, reason, flags, ms, info.id()));
    }
}
