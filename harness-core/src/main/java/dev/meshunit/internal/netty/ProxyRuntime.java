package dev.meshunit.internal.netty;

import dev.meshunit.fault.FaultOverrides;
import dev.meshunit.journal.Journal;
import dev.meshunit.routing.RouteTable;
import io.netty.channel.EventLoop;
import dev.meshunit.internal.time.Scheduler;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What every connection of one proxy shares: the current route table (swapped whole on reload), the
 * journal, the test-time fault overrides, the seeded random source, the scheduler all time comes from, one upstream connection pool
 * per event loop, and the shadow copies under way.
 */
public final class ProxyRuntime {
    final AtomicReference<RouteTable> table;
    final Journal journal;
    final Random random;
    final Scheduler scheduler;
    final int maxBufferedBodyBytes;
    final ShadowSender mirrors;
    final FaultOverrides faultOverrides = new FaultOverrides();
    private volatile Map<EventLoop, ConnectionPool> pools = Map.of();

    public ProxyRuntime(RouteTable table, Journal journal, long seed, Scheduler scheduler, int maxBufferedBodyBytes,
                        MirrorOptions mirrorOptions) {
        this.table = new AtomicReference<>(table);
        this.journal = journal;
        this.random = new Random(seed);
        this.scheduler = scheduler;
        this.maxBufferedBodyBytes = maxBufferedBodyBytes;
        this.mirrors = new ShadowSender(mirrorOptions, journal, scheduler);
    }

    private final java.util.concurrent.ConcurrentHashMap<dev.meshunit.upstream.ClusterKey, dev.meshunit.journal.DestinationRef>
            destinationRefs = new java.util.concurrent.ConcurrentHashMap<>();

    /** One journal reference per cluster, shared by its exchanges. */
    dev.meshunit.journal.DestinationRef destinationRef(dev.meshunit.upstream.ClusterKey key) {
        return destinationRefs.computeIfAbsent(key,
                k -> new dev.meshunit.journal.DestinationRef(k.host(), k.subset(), k.port()));
    }

    public RouteTable table() {
        return table.get();
    }

    /** Shadow copies sent and not yet answered, failed or timed out. */
    public int shadowsInFlight() {
        return mirrors.inFlight();
    }

    /** Test-time faults, consulted before each route's own fault. */
    public FaultOverrides faultOverrides() {
        return faultOverrides;
    }

    public void swap(RouteTable next) {
        table.set(next);
    }

    void pools(Map<EventLoop, ConnectionPool> pools) {
        this.pools = Map.copyOf(pools);
    }

    java.util.Collection<ConnectionPool> pools() {
        return pools.values();
    }

    ConnectionPool pool(EventLoop loop) {
        return pools.get(loop);
    }
}
