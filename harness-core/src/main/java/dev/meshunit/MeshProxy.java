package dev.meshunit;

import dev.meshunit.config.DeclaredHosts;
import dev.meshunit.config.IstioConfig;
import dev.meshunit.fault.FaultOverrides;
import dev.meshunit.internal.mirror.MirrorOptions;
import dev.meshunit.internal.netty.ProxyRuntime;
import dev.meshunit.internal.netty.ProxyServer;
import dev.meshunit.internal.netty.ServiceListeners;
import dev.meshunit.internal.tcp.TcpProxy;
import dev.meshunit.internal.time.Scheduler;
import dev.meshunit.internal.time.WallScheduler;
import dev.meshunit.journal.Journal;
import dev.meshunit.journal.JournalLimits;
import dev.meshunit.journal.JournalWriter;
import dev.meshunit.router.RetryDefaults;
import dev.meshunit.internal.routing.RouteOptions;
import dev.meshunit.internal.routing.RouteTable;
import dev.meshunit.internal.routing.TcpRouteTable;
import dev.meshunit.internal.upstream.Cluster;
import dev.meshunit.internal.upstream.ClusterContext;
import dev.meshunit.upstream.ClusterStats;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;

/**
 * The test's sidecar: an HTTP/1.1 proxy on 127.0.0.1 (and a TCP proxy on a listener per TCP or TLS service
 * port) that applies Istio config the way the caller's Envoy would, and records every exchange and connection
 * in its {@link #journal()}.
 *
 * <pre>{@code
 * try (MeshProxy proxy = MeshProxy.builder().config(config).seed(42).start()) {
 *     // send requests to proxy.address() with Host: reviews:9080, or use it as an HTTP proxy
 * }
 * }</pre>
 *
 * <p>Longer than 300 lines because {@link Builder}, the proxy's whole settings API, lives here as users know it;
 * everything that runs is under {@code internal}.
 */
public final class MeshProxy implements AutoCloseable {
    private final Builder settings;
    private final ProxyServer server;
    private final ProxyRuntime runtime;
    private final FaultOverrides faults;
    private final TcpProxy tcp;
    private final JournalWriter journal;
    private final Scheduler scheduler;
    private final InetSocketAddress address;
    private final ServiceListeners serviceListeners;
    private volatile IstioConfig config;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private MeshProxy(Builder b) throws InterruptedException {
        this.settings = b;
        this.config = b.config;
        this.journal = new JournalWriter(b.journalCapacity, b.seed, b.journalLimits);
        this.scheduler = b.virtualTime != null ? b.virtualTime.scheduler() : new WallScheduler(b.clock);
        this.runtime = new ProxyRuntime(RouteTable.compile(b.config, b.routeOptions(), clusterContext()), journal, b.seed,
                scheduler, b.maxBufferedBodyBytes, b.mirrorOptions, b.upstreamVia);
        runtime.downstreamLimits(b.downstreamLimits);
        // a fault on a host the config does not declare would never fire: refuse it, naming the nearest hosts
        this.faults = runtime.faultOverrides().checking(o -> DeclaredHosts.of(config).require(o.match().host(), "fault"));
        this.tcp = new TcpProxy(tcpTable(b.config, runtime.table()), journal, runtime.random(), scheduler,
                b.tlsInspectionTimeout, b.upstreamVia);
        this.server = new ProxyServer(runtime, b.ioThreads, "meshunit-" + Long.toHexString(b.seed));
        server.fatalErrors().afterListeners(this::close);
        this.serviceListeners = new ServiceListeners(server, tcp, b.bindAddress, b.listenerPerService);
        try {
            this.address = server.listen(new InetSocketAddress(b.bindAddress, b.port), null);
            serviceListeners.open(runtime.table());
        } catch (Throwable e) { // also the BindException that Netty rethrows unchecked
            server.close();
            scheduler.close();
            throw e;
        }
    }

    private ClusterContext clusterContext() {
        return new ClusterContext(scheduler.clock(), journal::recordEvent);
    }

    public static Builder builder() {
        return new Builder();
    }

    private TcpRouteTable tcpTable(IstioConfig config, RouteTable table) {
        return TcpRouteTable.compile(config, settings.routeOptions(), table.clusters(), settings.gateways);
    }

    /** The outbound listener: routes by Host header or, as a forward proxy, by absolute URI. */
    public InetSocketAddress address() {
        return address;
    }

    public int port() {
        return address.getPort();
    }

    /** A base URI for clients that must be given a URL: the proxy, to be used with a Host header. */
    public URI uri() {
        return URI.create("http://" + address.getHostString() + ":" + address.getPort());
    }

    /**
     * The address of the listener dedicated to a service ({@code reviews} or {@code reviews:9080}): an HTTP one
     * when the builder asked for listeners per service (requests on it need no Host header), a TCP or TLS one
     * always; or to a gateway port ({@code tcp-echo-gateway:31400}) of a gateway the proxy plays.
     */
    public InetSocketAddress serviceAddress(String service) {
        return serviceListeners.of(service);
    }

    /**
     * The listeners per service and gateway port, by name ({@code reviews:9080}, {@code tcp-echo-gateway:31400}),
     * in the order they were opened.
     */
    public Map<String, InetSocketAddress> serviceAddresses() {
        return serviceListeners.all();
    }

    public Journal journal() {
        return journal.journal();
    }

    /**
     * The error that stopped this proxy, or null while it runs: an {@link OutOfMemoryError} (or another
     * {@link VirtualMachineError}) on one of its connections, or an event-loop thread that died. The proxy
     * closes itself after one, so that clients are refused instead of left waiting.
     */
    public Throwable fatalError() {
        return server.fatalErrors().first();
    }

    /** Called once, on a thread of its own, with the error that stopped the proxy (at once if it already has). */
    public void onFatalError(java.util.function.Consumer<Throwable> listener) {
        server.fatalErrors().onFatal(Objects.requireNonNull(listener, "listener"));
    }

    /** The downstream side's counters (connections, timeouts, limits that refused a request), as Envoy names them. */
    public dev.meshunit.downstream.DownstreamStats downstreamStats() {
        return runtime.downstreamCounters().snapshot();
    }

    public dev.meshunit.downstream.DownstreamLimits downstreamLimits() {
        return settings.downstreamLimits;
    }

    /** Every cluster of the current config, by Envoy name: circuit breakers, overflows, endpoint health. */
    public java.util.List<ClusterStats> clusterStats() {
        return runtime.table().clusters().clusters().stream().map(Cluster::stats)
                .sorted(java.util.Comparator.comparing(ClusterStats::name)).toList();
    }

    /**
     * Mirrored copies still under way. A copy is counted from the moment its request is complete, so once the
     * client has every primary answer, 0 means every shadow is in {@code journal().shadows()}.
     */
    public int shadowsInFlight() {
        return runtime.shadowsInFlight();
    }

    /**
     * Faults a test adds at run time, e.g. {@code proxy.faults().abort("ratings", 503).requests(3, 7)}. They are
     * consulted before the routes' own faults: the first override that fires replaces the route's fault for
     * that request. {@code clear()} them when the test ends.
     */
    public FaultOverrides faults() {
        return faults;
    }

    public long seed() {
        return settings.seed;
    }

    /** The virtual time the proxy was built with ({@link Builder#virtualTime}); empty on the wall clock. */
    public java.util.Optional<VirtualTime> virtualTime() {
        return java.util.Optional.ofNullable(settings.virtualTime);
    }

    public IstioConfig config() {
        return config;
    }

    /**
     * Replaces the config; requests in flight finish with the routes they started with, TCP connections with
     * the route they were opened on. With listeners per service, a service the new config adds gets one; a
     * removed service's listener stays open and answers 404 NR (TCP: closes new connections, NC).
     */
    public void updateConfig(IstioConfig next) {
        RouteTable table = RouteTable.compile(next, settings.routeOptions(), clusterContext());
        runtime.swap(table);
        tcp.swap(tcpTable(next, table));
        this.config = next;
        serviceListeners.reopen(table);
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return; // also closed by itself after a fatal error
        tcp.closing();
        server.close();
        scheduler.close();
    }

    /** Settings of a proxy; every one has a default that suits a test. */
    public static final class Builder {
        private IstioConfig config = IstioConfig.EMPTY;
        private long seed = 1;
        private Clock clock = Clock.systemUTC();
        private VirtualTime virtualTime;
        private String bindAddress = "127.0.0.1";
        private int port;
        private boolean listenerPerService;
        private final java.util.Set<String> gateways = new java.util.LinkedHashSet<>();
        private java.time.Duration tlsInspectionTimeout = TcpProxy.INSPECTION_TIMEOUT;
        private String sourceNamespace = "default";
        private Map<String, String> sourceLabels = Map.of();
        private RetryDefaults retryDefaults = RetryDefaults.ISTIO_1_24;
        private int journalCapacity = 10_000;
        private JournalLimits journalLimits = JournalLimits.DEFAULT;
        private int maxBufferedBodyBytes = 1024 * 1024;
        private MirrorOptions mirrorOptions = MirrorOptions.DEFAULT;
        private dev.meshunit.downstream.DownstreamLimits downstreamLimits = dev.meshunit.downstream.DownstreamLimits.DEFAULT;
        private int ioThreads = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
        private dev.meshunit.upstream.UpstreamAddressing upstreamVia;

        private Builder() {}

        public Builder config(IstioConfig config) {
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        /** The seed of every random choice: weighted splits, fault percentages, back-off jitter, balancing. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * The clock the journal's timestamps and outlier detection read; timers still run in real time. To
         * drive timers too, give the proxy {@link #virtualTime} instead.
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Runs the proxy on time that a test moves by hand: every delay, timeout, back-off, outlier-detection
         * interval and ejection, and the journal's timestamps and durations. Replaces {@link #clock}.
         */
        public Builder virtualTime(VirtualTime time) {
            this.virtualTime = Objects.requireNonNull(time, "time");
            return this;
        }

        /** Where listeners bind; 127.0.0.1 unless told otherwise. */
        public Builder bindAddress(String bindAddress) {
            this.bindAddress = Objects.requireNonNull(bindAddress, "bindAddress");
            return this;
        }

        /** The outbound listener's port; 0 (the default) picks a free one. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) throw new IllegalArgumentException("port must be 0-65535, got " + port);
            this.port = port;
            return this;
        }

        /**
         * Also open one listener per HTTP service port, so that clients need no Host header. (TCP, TLS and other
         * opaque ports always get one: nothing else reaches them.)
         */
        public Builder listenerPerService(boolean on) {
            this.listenerPerService = on;
            return this;
        }

        /**
         * Also plays the named Istio gateway for {@code tcp:} and {@code tls:} routes: VirtualServices bound to it
         * apply, and each port their rules match on gets a listener, {@code serviceAddress("name:port")}.
         */
        public Builder gateway(String name) {
            this.gateways.add(Objects.requireNonNull(name, "name"));
            return this;
        }

        /**
         * How long a TLS listener waits for the client's ClientHello (to read its SNI) before it closes the
         * connection; 15 s, Envoy's listener_filters_timeout, unless set.
         */
        public Builder tlsInspectionTimeout(java.time.Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("tlsInspectionTimeout must be > 0, got " + timeout);
            this.tlsInspectionTimeout = timeout;
            return this;
        }

        /** The calling workload: its namespace resolves short names, its labels meet {@code sourceLabels}. */
        public Builder source(String namespace, Map<String, String> labels) {
            this.sourceNamespace = Objects.requireNonNull(namespace, "namespace");
            this.sourceLabels = Map.copyOf(labels);
            return this;
        }

        /** The retry policy of routes without {@code retries}; Istio 1.24's unless told otherwise. */
        public Builder retryDefaults(RetryDefaults defaults) {
            this.retryDefaults = Objects.requireNonNull(defaults, "defaults");
            return this;
        }

        /**
         * How many exchanges the journal keeps in detail before it drops the oldest (10,000 by default; counters
         * keep counting). Retained exchanges are what young GC copies, so a large capacity costs latency under load.
         */
        public Builder journalCapacity(int capacity) {
            if (capacity < 1) throw new IllegalArgumentException("journal capacity must be >= 1, got " + capacity);
            this.journalCapacity = capacity;
            return this;
        }

        /**
         * The most estimated heap the journal's exchanges may take (and, apart, its mirrored copies with their
         * recorded answers) before the oldest are dropped: 16 MiB by default. Raise it with large
         * {@link #recordBodies} or many large headers.
         */
        public Builder journalMaxBytes(long bytes) {
            this.journalLimits = journalLimits.withMaxBytes(bytes);
            return this;
        }

        /**
         * How much of each request's headers the journal stores: at most {@code maxHeaders} values and
         * {@code maxHeaderBytes} of names plus values (100 and 8 KiB by default). The request is forwarded whole;
         * what the record leaves out is named in {@code Exchange.truncation()}.
         */
        public Builder journalHeaderLimits(int maxHeaders, int maxHeaderBytes) {
            this.journalLimits = journalLimits.withHeaderLimits(maxHeaders, maxHeaderBytes);
            return this;
        }

        /** The most of a request body kept for retries; a larger body streams through and is not retried. */
        public Builder maxBufferedBodyBytes(int bytes) {
            if (bytes < 0) throw new IllegalArgumentException("maxBufferedBodyBytes must be >= 0, got " + bytes);
            this.maxBufferedBodyBytes = bytes;
            return this;
        }

        /**
         * Keeps the first {@code maxBytes} of bodies: of every attempt's request and answer, in
         * {@code Attempt.requestBody()} / {@code responseBody()} (with a truncated marker past the bound), and,
         * for every mirrored request, the primary's answer and each shadow's answer (status, headers and body)
         * in {@code journal().shadows()}, for comparison. Off (0) by default: then attempts keep their upstream
         * headers only, shadows keep status and headers only, and the primary's path copies nothing.
         */
        public Builder recordBodies(int maxBytes) {
            this.mirrorOptions = mirrorOptions.withRecordBodyBytes(maxBytes);
            return this;
        }

        /**
         * Bounds of mirroring: a request body larger than {@code maxBodyBytes} is not mirrored (Envoy sends a
         * mirror once the body is complete, so the copy must be held), at most {@code maxInFlight} shadow copies
         * run at once (more are dropped, flag UO), and a shadow of a route without timeout is abandoned after
         * {@code timeout}. Each drop is journalled with its reason. Defaults: 1 MiB, 1024, 30 s.
         */
        public Builder mirrorLimits(int maxBodyBytes, int maxInFlight, java.time.Duration timeout) {
            this.mirrorOptions = mirrorOptions.withLimits(maxBodyBytes, maxInFlight, timeout);
            return this;
        }

        /**
         * The downstream side's limits and timeouts (request headers, stream idle and connection idle timeouts,
         * header count and size, connections): {@code DownstreamLimits.DEFAULT} unless set, Istio's sidecar's with
         * {@code DownstreamLimits.ISTIO_SIDECAR}; e.g.
         * {@code downstreamLimits(DownstreamLimits.DEFAULT.withStreamIdleTimeout(Duration.ofSeconds(30)))}.
         */
        public Builder downstreamLimits(dev.meshunit.downstream.DownstreamLimits limits) {
            this.downstreamLimits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        public Builder ioThreads(int threads) {
            if (threads < 1) throw new IllegalArgumentException("ioThreads must be >= 1, got " + threads);
            this.ioThreads = threads;
            return this;
        }

        /**
         * Opens upstream connections (HTTP and TCP routes, shadows too) where {@code addressing} says instead of at
         * the endpoints: how {@code meshunit-chaos}'s {@code SidecarToxics} puts TCP toxics between the sidecar
         * and one service. The journal still names the endpoint.
         */
        public Builder upstreamVia(dev.meshunit.upstream.UpstreamAddressing addressing) {
            this.upstreamVia = Objects.requireNonNull(addressing, "addressing");
            return this;
        }

        RouteOptions routeOptions() {
            return new RouteOptions(sourceNamespace, sourceLabels, retryDefaults);
        }

        /** Binds the listeners and returns the running proxy. */
        public MeshProxy start() {
            try {
                return new MeshProxy(this);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while binding", e);
            } catch (RuntimeException e) {
                if (e.getCause() instanceof java.io.IOException io) throw new UncheckedIOException(io);
                throw e;
            } catch (Exception e) {
                if (e instanceof java.io.IOException io) {
                    throw new UncheckedIOException("cannot listen on " + bindAddress + ":" + port + ": " + io.getMessage(), io);
                }
                throw e;
            }
        }
    }
}
