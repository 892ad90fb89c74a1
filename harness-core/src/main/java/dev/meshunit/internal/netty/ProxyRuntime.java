package dev.meshunit.internal.netty;

import dev.meshunit.downstream.DownstreamLimits;
import dev.meshunit.fault.FaultOverrides;
import dev.meshunit.internal.fault.FaultFilter;
import dev.meshunit.internal.filter.HeaderFilter;
import dev.meshunit.internal.http.DownstreamCounters;
import dev.meshunit.internal.http.FilterCallbacks;
import dev.meshunit.internal.http.StreamContext;
import dev.meshunit.internal.http.StreamFilter;
import dev.meshunit.internal.http.StreamIdleFilter;
import dev.meshunit.internal.http.StreamIdleTimeouts;
import dev.meshunit.internal.mirror.MirrorFilter;
import dev.meshunit.internal.mirror.MirrorOptions;
import dev.meshunit.internal.mirror.MirrorTap;
import dev.meshunit.internal.mirror.ShadowSender;
import dev.meshunit.internal.router.RouterFilter;
import dev.meshunit.internal.time.Scheduler;
import dev.meshunit.journal.DestinationRef;
import dev.meshunit.journal.JournalWriter;
import dev.meshunit.upstream.UpstreamAddressing;
import dev.meshunit.internal.upstream.Cluster;
import dev.meshunit.internal.upstream.Endpoint;
import java.net.InetSocketAddress;
import dev.meshunit.internal.routing.RouteTable;
import dev.meshunit.internal.upstream.ClusterKey;
import io.netty.channel.EventLoop;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What every connection of one proxy shares: the current route table (swapped whole on reload), the
 * journal, the test-time fault overrides, the seeded random source, the scheduler all time comes from, one
 * upstream connection pool per event loop, and the shadow copies under way. Builds each stream's filter chain.
 */
public final class ProxyRuntime implements StreamContext {
    private final AtomicReference<RouteTable> table;
    private final JournalWriter journal;
    private final Random random;
    final Scheduler scheduler;
    private final int maxBufferedBodyBytes;
    private final ShadowSender mirrors;
    private final int recordBodyBytes;
    private final FaultOverrides faultOverrides = new FaultOverrides();
    private final ConcurrentHashMap<ClusterKey, DestinationRef> destinationRefs = new ConcurrentHashMap<>();
    private volatile Map<EventLoop, ConnectionPool> pools = Map.of();
    private final DownstreamCounters downstream = new DownstreamCounters();
    /** Per event loop, made with its first stream: the loop's streams share one stream idle timer. */
    private final ConcurrentHashMap<Executor, StreamIdleTimeouts> streamIdle = new ConcurrentHashMap<>();
    private DownstreamLimits limits = DownstreamLimits.DEFAULT;
    /** Null when connections go straight to the endpoints (the default). */
    private final UpstreamAddressing addressing;

    public ProxyRuntime(RouteTable table, JournalWriter journal, long seed, Scheduler scheduler, int maxBufferedBodyBytes,
                        MirrorOptions mirrorOptions, UpstreamAddressing addressing) {
        this.addressing = addressing;
        this.table = new AtomicReference<>(table);
        this.journal = journal;
        this.random = new Random(seed);
        this.scheduler = scheduler;
        this.maxBufferedBodyBytes = maxBufferedBodyBytes;
        this.mirrors = new ShadowSender(mirrorOptions, journal, scheduler);
        this.recordBodyBytes = mirrorOptions.recordBodyBytes();
    }

    @Override
    public List<StreamFilter> filters(FilterCallbacks stream, Executor loop) {
        ConnectionPool pool = pools.get((EventLoop) loop);
        FaultFilter fault = new FaultFilter(stream, faultOverrides, random);
        HeaderFilter header = new HeaderFilter(stream, random);
        RouterFilter router = new RouterFilter(stream, pool, random, recordBodyBytes);
        // A route without mirrors has nothing for the mirror filter to do: it is left out rather than made per request.
        boolean mirrored = !stream.info().match().route().mirrors().isEmpty();
        MirrorFilter mirror = mirrored ? new MirrorFilter(stream, new MirrorTap.Context(mirrors, loop, pool, random)) : null;
        boolean idle = !limits.streamIdleTimeout().isZero();
        StreamIdleFilter idleFilter = idle ? new StreamIdleFilter(stream, streamIdle(loop), downstream) : null;
        if (idle && mirrored) return List.of(idleFilter, fault, header, mirror, router);
        if (idle) return List.of(idleFilter, fault, header, router);
        if (mirrored) return List.of(fault, header, mirror, router);
        return List.of(fault, header, router);
    }

    private StreamIdleTimeouts streamIdle(Executor loop) {
        StreamIdleTimeouts t = streamIdle.get(loop);
        return t != null ? t : streamIdle.computeIfAbsent(loop, l -> new StreamIdleTimeouts(scheduler, l, limits.streamIdleTimeout()));
    }

    /** Set before the first connection: the downstream side's limits and timeouts. */
    public void downstreamLimits(DownstreamLimits limits) {
        this.limits = limits;
    }

    public DownstreamLimits downstreamLimits() {
        return limits;
    }

    public DownstreamCounters downstreamCounters() {
        return downstream;
    }

    @Override
    public DestinationRef destinationRef(ClusterKey key) {
        return destinationRefs.computeIfAbsent(key, k -> new DestinationRef(k.host(), k.subset(), k.port()));
    }

    @Override
    public RouteTable table() {
        return table.get();
    }

    @Override
    public JournalWriter journal() {
        return journal;
    }

    @Override
    public Scheduler scheduler() {
        return scheduler;
    }

    /** The proxy's one seeded random source, which the TCP side draws from too. */
    @Override
    public Random random() {
        return random;
    }

    @Override
    public int maxBufferedBodyBytes() {
        return maxBufferedBodyBytes;
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

    /** Where a connection to {@code endpoint} of {@code cluster}'s service is opened (see {@link UpstreamAddressing}). */
    InetSocketAddress connectAddress(Cluster cluster, Endpoint endpoint) {
        return endpoint.connectAddress(addressing, cluster.key().host());
    }

    /** The pool key's endpoint part: the endpoint, or with an addressing the service and the address dialled. */
    String connectKey(Cluster cluster, Endpoint endpoint) {
        return addressing == null ? endpoint.id() : cluster.key().host() + "|" + connectAddress(cluster, endpoint);
    }

    void pools(Map<EventLoop, ConnectionPool> pools) {
        this.pools = Map.copyOf(pools);
    }

    Collection<ConnectionPool> pools() {
        return pools.values();
    }
}
