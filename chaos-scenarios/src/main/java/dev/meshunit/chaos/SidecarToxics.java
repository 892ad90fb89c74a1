package dev.meshunit.chaos;

import dev.meshunit.VirtualTime;
import dev.meshunit.chaos.internal.ServiceSelector;
import dev.meshunit.config.IstioConfig;
import dev.meshunit.upstream.UpstreamAddressing;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Toxiproxy's TCP toxics between a sidecar and the endpoints of one service: L4 faults under the proxy's L7
 * routing. Given to {@code MeshProxy.Builder.upstreamVia}, it puts a toxic proxy of its own
 * {@link ToxicProxyServer} in front of each endpoint of each service, opened with the first connection to it and
 * named {@code <service FQDN>/<endpoint>} in its {@link #journal()}. A toxic added for a service (or one subset
 * of it) goes on the toxic proxies of the endpoints it selects, live pooled connections included, as Toxiproxy
 * applies toxics; other services' connections never meet it.
 *
 * <pre>{@code
 * try (SidecarToxics toxics = SidecarToxics.builder().config(config).virtualTime(time).build();
 *      MeshProxy proxy = MeshProxy.builder().config(config).virtualTime(time).upstreamVia(toxics).start()) {
 *     toxics.add("ratings", ToxicSpec.of(Direction.DOWNSTREAM, new Toxic.Latency(300, 0)));
 *     // calls of ratings take 300 ms longer; calls of reviews do not
 * }
 * }</pre>
 *
 * Thread-safe; not to be called from the proxy's event loops except by the proxy itself.
 */
public final class SidecarToxics implements UpstreamAddressing, AutoCloseable {
    /** Connecting here fails at once: what a connection gets once the toxics are closed or cannot listen. */
    private static final InetSocketAddress NOWHERE = new InetSocketAddress("127.0.0.1", 0);

    private final ToxicProxyServer server;
    private final Supplier<IstioConfig> config;
    private final Map<String, Endpoint> endpoints = new LinkedHashMap<>();
    private final List<Placed> placed = new ArrayList<>();
    private boolean closed;

    private SidecarToxics(Builder b) {
        this.config = Objects.requireNonNull(b.config, "config: the sidecar's config, to check the hosts named");
        ToxicProxyServer.Builder server = ToxicProxyServer.builder().seed(b.seed).workerThreads(1);
        if (b.virtualTime != null) {
            server.virtualTime(b.virtualTime);
        }
        this.server = server.build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Adds a toxic on the connections to every endpoint of {@code host} ({@code ratings}, {@code ratings.default}...). */
    public ToxicSpec add(String host, ToxicSpec toxic) {
        return add(host, null, toxic);
    }

    /**
     * Adds a toxic on the connections to the endpoints of {@code host} that {@code subset} (a subset of its
     * DestinationRule; null for all) selects. Returns once every live connection has it.
     *
     * @throws IllegalArgumentException when the config declares no such host or subset, naming the nearest
     * @throws ChaosException (409) when the service already has a toxic of that name
     */
    public synchronized ToxicSpec add(String host, String subset, ToxicSpec toxic) {
        ServiceSelector selector = ServiceSelector.of(config.get(), host, subset);
        checkOpen();
        if (placed.stream().anyMatch(p -> p.selector.fqdn().equals(selector.fqdn()) && p.toxic.name().equals(toxic.name()))) {
            throw ChaosException.conflict("toxic already exists: " + toxic.name() + " on " + selector.fqdn());
        }
        Placed p = new Placed(selector, toxic);
        placed.add(p);
        endpoints.values().stream().filter(e -> p.selects(e)).forEach(e -> server.addToxic(e.name, toxic));
        return toxic;
    }

    /** Replaces a toxic's attributes and toxicity on every connection it is on; its name, type and stream stay. */
    public synchronized ToxicSpec update(String host, String toxicName, UnaryOperator<ToxicSpec> change) {
        Placed old = find(host, toxicName);
        ToxicSpec updated = change.apply(old.toxic);
        endpoints.values().stream().filter(old::selects)
                .forEach(e -> server.updateToxic(e.name, toxicName, t -> updated));
        placed.set(placed.indexOf(old), new Placed(old.selector, updated));
        return updated;
    }

    public synchronized void remove(String host, String toxicName) {
        Placed old = find(host, toxicName);
        endpoints.values().stream().filter(old::selects).forEach(e -> server.removeToxic(e.name, toxicName));
        placed.remove(old);
    }

    /** The toxics on {@code host}'s connections, in the order they were added (for any of its subsets too). */
    public synchronized List<ToxicSpec> toxics(String host) {
        String fqdn = ServiceSelector.of(config.get(), host, null).fqdn();
        return placed.stream().filter(p -> p.selector.fqdn().equals(fqdn)).map(p -> p.toxic).toList();
    }

    /** Every toxic under the sidecar, in the order they were added. */
    public synchronized List<Placement> all() {
        return placed.stream().map(p -> new Placement(p.selector.fqdn(), p.selector.subset(), p.toxic)).toList();
    }

    /** A toxic on the connections of {@code host} (FQDN), of one {@code subset} when not null. */
    public record Placement(String host, String subset, ToxicSpec toxic) {}

    /** Removes every toxic; the toxic proxies and their connections stay (Toxiproxy's reset). */
    public synchronized void reset() {
        checkOpen();
        server.reset();
        placed.clear();
    }

    /** The connections to endpoints of {@code host}, each with the toxics drawn on it. */
    public List<TcpConnectionRecord> connections(String host) {
        String prefix = ServiceSelector.of(config.get(), host, null).fqdn() + "/";
        return journal().connections().stream().filter(c -> c.proxy().startsWith(prefix)).toList();
    }

    /** Every connection through the toxic proxies, named {@code <service FQDN>/<endpoint>}. */
    public TcpJournal journal() {
        return server.journal();
    }

    /** The server holding the toxic proxies: serve it with {@link ToxiproxyApiServer} to drive them from toxiproxy-java. */
    public ToxicProxyServer server() {
        return server;
    }

    /** Called by the proxy for each connection it opens: the toxic proxy in front of that service's endpoint. */
    @Override
    public synchronized InetSocketAddress connectTo(String host, InetSocketAddress endpoint, Map<String, String> labels) {
        if (closed) {
            return NOWHERE;
        }
        String upstream = endpoint.getHostString() + ":" + endpoint.getPort();
        String name = host + "/" + upstream;
        Endpoint e = endpoints.get(name);
        if (e == null) {
            // The first connection to an endpoint binds its listener: a short wait on the proxy's event loop, once.
            ProxyInfo info;
            try {
                info = server.createProxy(name, "127.0.0.1:0", upstream);
            } catch (RuntimeException cannotListen) {
                return NOWHERE;   // the connection fails (503 UF in the journal) rather than the proxy's event loop
            }
            e = new Endpoint(name, host, labels, new InetSocketAddress("127.0.0.1", info.port()));
            endpoints.put(name, e);
            for (Placed p : placed) {
                if (p.selects(e)) {
                    server.addToxic(name, p.toxic);
                }
            }
        }
        return e.address;
    }

    /** Closes the toxic proxies and their connections; the sidecar's connections through them end. */
    @Override
    public synchronized void close() {
        closed = true;
        server.close();
    }

    private Placed find(String host, String toxicName) {
        String fqdn = ServiceSelector.of(config.get(), host, null).fqdn();
        checkOpen();
        return placed.stream().filter(p -> p.selector.fqdn().equals(fqdn) && p.toxic.name().equals(toxicName))
                .findFirst().orElseThrow(() -> ChaosException.notFound("toxic not found: " + toxicName + " on " + fqdn));
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("sidecar toxics closed");
        }
    }

    private record Endpoint(String name, String host, Map<String, String> labels, InetSocketAddress address) {}

    private record Placed(ServiceSelector selector, ToxicSpec toxic) {
        boolean selects(Endpoint e) {
            return selector.selects(e.host, e.labels);
        }
    }

    public static final class Builder {
        private Supplier<IstioConfig> config;
        private long seed;
        private VirtualTime virtualTime;

        private Builder() {
        }

        /** The sidecar's config, to check the hosts and subsets toxics name. */
        public Builder config(IstioConfig config) {
            Objects.requireNonNull(config, "config");
            return config(() -> config);
        }

        /** The sidecar's current config (e.g. {@code proxy::config}, to follow {@code updateConfig}). */
        public Builder config(Supplier<IstioConfig> config) {
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        /** Seeds toxicity draws, latency jitter and slicer sizes (default 0). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** The sidecar's virtual time: toxic delays then move with the proxy's own timers. */
        public Builder virtualTime(VirtualTime time) {
            this.virtualTime = Objects.requireNonNull(time, "time");
            return this;
        }

        public SidecarToxics build() {
            return new SidecarToxics(this);
        }
    }
}
