package dev.meshunit.chaos;

import dev.meshunit.chaos.internal.JournalStore;
import dev.meshunit.chaos.internal.ProxyRuntime;
import dev.meshunit.VirtualTime;
import dev.meshunit.chaos.internal.ServerContext;
import dev.meshunit.chaos.internal.ToxicTimers;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * A set of named TCP proxies with Toxiproxy's toxics. Owns its event loops, journal and seeded
 * random source; {@link #close()} stops every proxy and releases ports and threads. Methods are
 * thread-safe and may block briefly (binding, closing), so they must not be called from an event loop.
 */
public final class ToxicProxyServer implements AutoCloseable {
    private final ServerContext context;
    private final TcpJournal journal;
    private final String threadPrefix;
    private final Map<String, ProxyRuntime> proxies = new TreeMap<>();
    private boolean closed;

    private ToxicProxyServer(Builder builder) {
        this.threadPrefix = "meshunit-chaos-" + Integer.toHexString(System.identityHashCode(this));
        EventLoopGroup acceptors = new MultiThreadIoEventLoopGroup(
                1, new DefaultThreadFactory(threadPrefix + "-accept", true), NioIoHandler.newFactory());
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(
                builder.workerThreads, new DefaultThreadFactory(threadPrefix + "-io", true), NioIoHandler.newFactory());
        JournalStore store = new JournalStore(builder.virtualTime == null ? builder.clock : builder.virtualTime.clock());
        ToxicTimers timers = builder.virtualTime == null ? ToxicTimers.WALL : ToxicTimers.on(builder.virtualTime);
        this.context = new ServerContext(acceptors, workers, store, new Random(builder.seed), builder.bindHost, timers);
        this.journal = new TcpJournal(store);
    }

    public static ToxicProxyServer create() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Creates and (when {@code enabled}) binds a proxy; {@code listen} {@code "127.0.0.1:0"} picks a free port. */
    public synchronized ProxyInfo createProxy(String name, String listen, String upstream, boolean enabled) {
        checkCaller();
        requireField("name", name);
        requireField("upstream", upstream);
        if (proxies.containsKey(name)) {
            throw ChaosException.conflict("proxy already exists");
        }
        ProxyRuntime proxy = newRuntime(name, listen == null || listen.isEmpty() ? ":0" : listen, upstream);
        if (enabled) {
            proxy.enable();
        }
        proxies.put(name, proxy);
        return proxy.info();
    }

    public ProxyInfo createProxy(String name, String listen, String upstream) {
        return createProxy(name, listen, upstream, true);
    }

    public synchronized List<ProxyInfo> proxies() {
        return proxies.values().stream().map(ProxyRuntime::info).toList();
    }

    public synchronized Optional<ProxyInfo> proxy(String name) {
        return Optional.ofNullable(proxies.get(name)).map(ProxyRuntime::info);
    }

    public synchronized ProxyInfo updateProxy(String name, ProxyUpdate update) {
        checkCaller();
        ProxyRuntime proxy = runtime(name);
        proxy.update(update);
        return proxy.info();
    }

    public ProxyInfo enable(String name) {
        return updateProxy(name, ProxyUpdate.enabled(true));
    }

    public ProxyInfo disable(String name) {
        return updateProxy(name, ProxyUpdate.enabled(false));
    }

    public synchronized void deleteProxy(String name) {
        checkCaller();
        runtime(name).disable(EndReason.PROXY_DISABLED);
        proxies.remove(name);
    }

    public synchronized List<ToxicSpec> toxics(String proxy) {
        return runtime(proxy).toxics();
    }

    public synchronized ToxicSpec toxic(String proxy, String toxicName) {
        return runtime(proxy).toxic(toxicName);
    }

    /** Appends a toxic to its stream's chain; returns once every live connection has it. */
    public synchronized ToxicSpec addToxic(String proxy, ToxicSpec toxic) {
        checkCaller();
        return runtime(proxy).addToxic(toxic);
    }

    /** Replaces a toxic's attributes and toxicity; its name, type and stream cannot change. */
    public synchronized ToxicSpec updateToxic(String proxy, String toxicName, UnaryOperator<ToxicSpec> change) {
        checkCaller();
        return runtime(proxy).updateToxic(toxicName, change);
    }

    public synchronized void removeToxic(String proxy, String toxicName) {
        checkCaller();
        runtime(proxy).removeToxic(toxicName);
    }

    /** Toxiproxy's {@code POST /reset}: enables every proxy and removes every toxic; keeps the proxies. */
    public synchronized void reset() {
        checkCaller();
        for (ProxyRuntime proxy : proxies.values()) {
            proxy.enable();
            proxy.removeAllToxics();
        }
    }

    public TcpJournal journal() {
        return journal;
    }

    /** The prefix of every thread this server starts, for leak checks. */
    public String threadNamePrefix() {
        return threadPrefix;
    }

    /** Stops every proxy, closes their connections and waits for the event loops to terminate. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        checkCaller();
        closed = true;
        proxies.values().forEach(p -> p.disable(EndReason.SERVER_CLOSED));
        proxies.clear();
        for (EventLoopGroup group : List.of(context.acceptors(), context.workers())) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        }
        for (EventLoopGroup group : List.of(context.acceptors(), context.workers())) {
            group.terminationFuture().awaitUninterruptibly(10, TimeUnit.SECONDS);
        }
    }

    private ProxyRuntime newRuntime(String name, String listen, String upstream) {
        try {
            return new ProxyRuntime(context, name, listen, upstream);
        } catch (IllegalArgumentException e) {
            throw new ChaosException(500, "listen tcp " + listen + ": " + e.getMessage(), e);
        }
    }

    private ProxyRuntime runtime(String name) {
        if (closed) {
            throw new IllegalStateException("server closed");
        }
        ProxyRuntime proxy = proxies.get(name);
        if (proxy == null) {
            throw ChaosException.notFound("proxy not found");
        }
        return proxy;
    }

    private static void requireField(String field, String value) {
        if (value == null || value.isEmpty()) {
            throw ChaosException.badRequest("missing required field: " + field);
        }
    }

    private void checkCaller() {
        for (EventLoopGroup group : List.of(context.acceptors(), context.workers())) {
            for (EventExecutor executor : group) {
                if (executor.inEventLoop()) {
                    throw new IllegalStateException("ToxicProxyServer must not be called from its own event loop");
                }
            }
        }
    }

    public static final class Builder {
        private long seed;
        private Clock clock = Clock.systemUTC();
        private VirtualTime virtualTime;
        private String bindHost = "127.0.0.1";
        private int workerThreads = 2;

        private Builder() {
        }

        /** Seeds toxicity draws, latency jitter and slicer variation (default 0). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Timestamps the journal. */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /**
         * Runs the toxics' delays (latency, slicer, slow_close, timeout, reset_peer, bandwidth's pacing) and the
         * journal's timestamps on {@code time}, which the test advances: exact values, as for the sidecar.
         */
        public Builder virtualTime(VirtualTime time) {
            this.virtualTime = java.util.Objects.requireNonNull(time, "time");
            return this;
        }

        /** The host used when a proxy's {@code listen} has none (Go's {@code ":8666"}); default 127.0.0.1. */
        public Builder bindHost(String bindHost) {
            this.bindHost = bindHost;
            return this;
        }

        public Builder workerThreads(int workerThreads) {
            if (workerThreads < 1) {
                throw new IllegalArgumentException("workerThreads: must be >= 1 (was " + workerThreads + ")");
            }
            this.workerThreads = workerThreads;
            return this;
        }

        public ToxicProxyServer build() {
            return new ToxicProxyServer(this);
        }
    }
}
