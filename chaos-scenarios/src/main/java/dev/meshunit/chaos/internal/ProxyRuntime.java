package dev.meshunit.chaos.internal;

import dev.meshunit.chaos.ChaosException;
import dev.meshunit.chaos.Direction;
import dev.meshunit.chaos.EndReason;
import dev.meshunit.chaos.ProxyInfo;
import dev.meshunit.chaos.ProxyUpdate;
import dev.meshunit.chaos.ToxicSpec;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.Future;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * One named proxy: its listener, its two toxic chains and its live connections. Callers hold the
 * server's lock; connections only read the chains, which are replaced whole.
 */
public final class ProxyRuntime {
    private static final long CLOSE_WAIT_SECONDS = 5;
    private static final int REBIND_ATTEMPTS = 100;
    private static final long REBIND_PAUSE_MILLIS = 2;

    private final ServerContext context;
    private final String name;
    private final Set<ProxyConnection> connections = ConcurrentHashMap.newKeySet();
    private volatile String upstream;
    private volatile List<ToxicSpec> upstreamChain = List.of();
    private volatile List<ToxicSpec> downstreamChain = List.of();
    private volatile boolean accepting;
    private String listen;
    private Channel listener;
    private String releasedListen;

    public ProxyRuntime(ServerContext context, String name, String listen, String upstream) {
        this.context = context;
        this.name = Objects.requireNonNull(name, "name");
        this.listen = Objects.requireNonNull(listen, "listen");
        this.upstream = Objects.requireNonNull(upstream, "upstream");
        HostPort.parse(listen);
    }

    public String name() {
        return name;
    }

    public ProxyInfo info() {
        List<ToxicSpec> toxics = new ArrayList<>(upstreamChain);
        toxics.addAll(downstreamChain);
        return new ProxyInfo(name, listen, upstream, listener != null, toxics);
    }

    /** Binds the listener; the proxy's {@code listen} becomes the bound address, so re-enabling keeps the port. */
    public void enable() {
        if (listener != null) {
            return;
        }
        HostPort address = HostPort.parse(listen);
        String host = address.host().isEmpty() ? context.defaultHost() : address.host();
        ChannelFuture bound = bind(host, address.port());
        for (int attempt = 1; !bound.isSuccess() && listen.equals(releasedListen) && attempt <= REBIND_ATTEMPTS; attempt++) {
            // NIO frees a closed listener's port only when its selector next drops the cancelled key,
            // so binding the port this proxy just released can fail for a moment.
            context.acceptors().next().submit(() -> { }).awaitUninterruptibly();
            pause();
            bound = bind(host, address.port());
        }
        if (!bound.isSuccess()) {
            throw new ChaosException(500, "listen tcp " + listen + ": " + bound.cause().getMessage(), bound.cause());
        }
        listener = bound.channel();
        releasedListen = null;
        listen = HostPort.format(listener.localAddress());
        accepting = true;
    }

    private ChannelFuture bind(String host, int port) {
        return new ServerBootstrap()
                .group(context.acceptors(), context.workers())
                .channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.AUTO_READ, false)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new RelayHandler(new ProxyConnection(ProxyRuntime.this, ch), true));
                    }
                })
                .bind(host, port)
                .awaitUninterruptibly();
    }

    private static void pause() {
        try {
            Thread.sleep(REBIND_PAUSE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Closes the listener and every connection, waiting (boundedly) until they are closed. */
    public void disable(EndReason reason) {
        accepting = false;
        if (listener != null) {
            listener.close().awaitUninterruptibly();
            listener = null;
            releasedListen = listen;
        }
        awaitAll(connections.stream().map(c -> c.close(reason)).toList());
    }

    public void update(ProxyUpdate update) {
        boolean restart = (update.listen() != null && !sameListen(update.listen()))
                || (update.upstream() != null && !update.upstream().equals(upstream));
        boolean enable = update.enabled() != null ? update.enabled() : listener != null;
        if (update.listen() != null) {
            HostPort.parse(update.listen());
        }
        if (restart || !enable) {
            disable(EndReason.PROXY_DISABLED);
        }
        if (update.listen() != null && restart) {
            listen = update.listen();
        }
        if (update.upstream() != null) {
            upstream = update.upstream();
        }
        if (enable) {
            enable();
        }
    }

    private boolean sameListen(String requested) {
        if (requested.equals(listen)) {
            return true;
        }
        HostPort asked = HostPort.parse(requested);
        HostPort current = HostPort.parse(listen);
        try {
            String host = asked.host().isEmpty() ? context.defaultHost() : asked.host();
            return asked.port() == current.port()
                    && InetAddress.getByName(host).getHostAddress().equals(current.host());
        } catch (UnknownHostException e) {
            return false;
        }
    }

    public List<ToxicSpec> toxics() {
        return info().toxics();
    }

    public ToxicSpec toxic(String toxicName) {
        return toxics().stream().filter(t -> t.name().equals(toxicName)).findFirst()
                .orElseThrow(() -> ChaosException.notFound("toxic not found"));
    }

    public ToxicSpec addToxic(ToxicSpec toxic) {
        if (toxics().stream().anyMatch(t -> t.name().equals(toxic.name()))) {
            throw ChaosException.conflict("toxic already exists");
        }
        changeChain(toxic.stream(), chain -> append(chain, toxic));
        return toxic;
    }

    public ToxicSpec updateToxic(String toxicName, UnaryOperator<ToxicSpec> change) {
        ToxicSpec old = toxic(toxicName);
        ToxicSpec updated = change.apply(old);
        if (!updated.name().equals(old.name()) || updated.stream() != old.stream()
                || !updated.toxic().type().equals(old.toxic().type())) {
            throw ChaosException.badRequest("a toxic's name, type and stream cannot change");
        }
        changeChain(old.stream(), chain -> chain.stream().map(t -> t == old ? updated : t).toList());
        return updated;
    }

    public void removeToxic(String toxicName) {
        ToxicSpec old = toxic(toxicName);
        changeChain(old.stream(), chain -> chain.stream().filter(t -> t != old).toList());
    }

    public void removeAllToxics() {
        changeChain(Direction.UPSTREAM, chain -> List.of());
        changeChain(Direction.DOWNSTREAM, chain -> List.of());
    }

    private void changeChain(Direction direction, UnaryOperator<List<ToxicSpec>> change) {
        if (direction == Direction.UPSTREAM) {
            upstreamChain = List.copyOf(change.apply(upstreamChain));
        } else {
            downstreamChain = List.copyOf(change.apply(downstreamChain));
        }
        // Like Toxiproxy, answer only once every live connection has the new chain, so traffic sent
        // after the call returns is sure to meet it.
        List<Future<?>> applied = connections.stream().<Future<?>>map(c -> c.chainChanged(direction)).toList();
        awaitAll(applied);
    }

    private static void awaitAll(List<? extends Future<?>> futures) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CLOSE_WAIT_SECONDS);
        for (Future<?> future : futures) {
            future.awaitUninterruptibly(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
    }

    private static List<ToxicSpec> append(List<ToxicSpec> chain, ToxicSpec toxic) {
        List<ToxicSpec> longer = new ArrayList<>(chain);
        longer.add(toxic);
        return longer;
    }

    List<ToxicSpec> chain(Direction direction) {
        return direction == Direction.UPSTREAM ? upstreamChain : downstreamChain;
    }

    String upstream() {
        return upstream;
    }

    JournalStore journal() {
        return context.journal();
    }

    Random random() {
        return context.random();
    }

    ToxicTimers timers() {
        return context.timers();
    }

    boolean register(ProxyConnection connection) {
        connections.add(connection);
        if (!accepting) {
            connections.remove(connection);
            return false;
        }
        return true;
    }

    void unregister(ProxyConnection connection) {
        connections.remove(connection);
    }
}
