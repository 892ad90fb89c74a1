package dev.meshunit.internal.netty;

import dev.meshunit.internal.router.Attempt;
import dev.meshunit.internal.router.AttemptCallbacks;
import dev.meshunit.internal.router.AttemptFactory;
import dev.meshunit.internal.upstream.CircuitBreakers;
import dev.meshunit.internal.upstream.Cluster;
import dev.meshunit.internal.upstream.Endpoint;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.ChannelGroupFuture;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Keep-alive connections to endpoints, one pool per event loop so that an upstream connection always
 * lives on the loop of the downstream connection that uses it (no cross-thread hand-off). Confined to
 * its event loop. The cluster's {@link CircuitBreakers} are shared by all pools: a request that finds no
 * idle connection waits as pending while one is opened, or in the cluster's queue when the cluster has
 * {@code maxConnections} already; a released connection goes to the first waiter if it can use it, and is
 * closed otherwise, so that the waiter can open its own on its own loop.
 */
final class ConnectionPool implements AttemptFactory {
    static final int MAX_HEADER_BYTES = 60 * 1024;
    /**
     * The most body bytes the decoder hands on in one piece: what one read brought, up to this (a slice, never a
     * copy). At Netty's 8 KiB a 16 KiB answer took three trips down the filter chain and three writes.
     */
    static final int MAX_CHUNK_BYTES = 64 * 1024;

    private final EventLoop loop;
    private final ProxyRuntime runtime;
    private final Bootstrap bootstrap;
    private final Map<String, ArrayDeque<Channel>> idle = new HashMap<>();
    /** Every connection the pool opened, busy or idle: the proxy closes them all when it closes. */
    private final ChannelGroup open = new DefaultChannelGroup("upstream", ImmediateEventExecutor.INSTANCE);
    private final Http2UpstreamPool http2;
    private final Transport transport;

    ConnectionPool(EventLoop loop, ProxyRuntime runtime, Transport transport) {
        this.loop = loop;
        this.runtime = runtime;
        this.transport = transport;
        this.http2 = new Http2UpstreamPool(loop, open, runtime, transport);
        this.bootstrap = new Bootstrap()
                .group(loop)
                .channel(transport.socketChannel())
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast("codec", new HttpClientCodec(8192, MAX_HEADER_BYTES, MAX_CHUNK_BYTES));
                        ch.pipeline().addLast("upstream", new UpstreamHandler(ConnectionPool.this));
                    }
                });
    }

    @Override
    public Attempt create(Cluster cluster, Endpoint endpoint, int number, AttemptCallbacks callbacks, boolean clientHttp2) {
        if (UpstreamProtocol.http2(runtime, cluster, clientHttp2)) {
            return new Http2UpstreamRequest(callbacks, http2, runtime.scheduler, cluster, endpoint, number);
        }
        return new UpstreamRequest(callbacks, this, runtime.scheduler, cluster, endpoint, number);
    }

    /**
     * Hands a connected channel, or the reason there is none, to a request the cluster admitted (it holds
     * one of the cluster's request slots).
     */
    void acquire(Cluster cluster, Endpoint endpoint, UpstreamRequest request) {
        if (takeIdle(cluster, endpoint, request)) return;
        CircuitBreakers.Slot pending = cluster.breakers().tryPending();
        if (pending == null) {
            request.onOverflow();
            return;
        }
        connectOrWait(new Pending(cluster, endpoint, request, pending));
    }

    private boolean takeIdle(Cluster cluster, Endpoint endpoint, UpstreamRequest request) {
        ArrayDeque<Channel> q = idle.get(key(cluster, endpoint));
        while (q != null && !q.isEmpty()) {
            Channel ch = q.pollLast();
            if (ch.isActive()) {
                handler(ch).attach(request);
                request.onConnected(ch, true);
                return true;
            }
        }
        return false;
    }

    /** A pending request opens a connection if the cluster has a slot for one, and waits for a slot otherwise. */
    private void connectOrWait(Pending p) {
        CircuitBreakers breakers = p.cluster.breakers();
        if (breakers.tryConnection()) {
            connect(p);
            return;
        }
        p.request.waiting(p, p.slot);
        breakers.await(p);
        breakers.wakeIfSlotFree();
        // Idle connections hold slots too: one of them makes room (closing it wakes the first waiter).
        for (ConnectionPool pool : runtime.pools()) {
            pool.loop.execute(() -> pool.closeOneIdle(breakers));
        }
    }

    private void connect(Pending p) {
        Cluster cluster = p.cluster;
        // The connect timeout is the proxy's own timer (Netty's is off), so that it runs on the proxy's time.
        Bootstrap b = bootstrap.clone().option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 0);
        TcpKeepalive.apply(b, cluster.policy(), transport);
        ChannelFuture f = b.connect(runtime.connectAddress(cluster, p.endpoint));
        Channel ch = f.channel();
        open.add(ch);
        CircuitBreakers breakers = cluster.breakers();
        handler(ch).owner(breakers);
        ch.closeFuture().addListener(closed -> breakers.connectionClosed());
        long timeoutMs = cluster.connectTimeout().toMillis();
        ConnectTimeout timeout = ConnectTimeout.watch(runtime.scheduler, f, timeoutMs);
        f.addListener((ChannelFuture done) -> {
            if (!done.isSuccess()) {
                connected(p, ch, timeout.cause(done, timeoutMs, p.endpoint.id()));
            } else if (cluster.tls() == null) {
                connected(p, ch, null);
            } else {
                UpstreamTls.handshake(ch, cluster.tls(), p.endpoint, cause -> connected(p, ch, cause));
            }
        });
    }

    private void connected(Pending p, Channel ch, Throwable failure) {
        p.slot.release();
        if (failure == null) {
            handler(ch).attach(p.request);
            p.request.onConnected(ch, false);
        } else {
            ch.close();
            p.request.onConnectFailed(failure);
        }
    }

    void release(Cluster cluster, Endpoint endpoint, Channel ch) {
        String key = key(cluster, endpoint);
        UpstreamHandler handler = handler(ch);
        handler.detach(key);
        if (!ch.isActive()) return;
        CircuitBreakers breakers = cluster.breakers();
        int perConnection = breakers.maxRequestsPerConnection();
        if (perConnection > 0 && handler.served() >= perConnection) {
            ch.close();
            return;
        }
        CircuitBreakers.Waiter next = breakers.nextWaiter();
        if (next instanceof Pending p && p.pool() == this && key(p.cluster, p.endpoint).equals(key)
                && !p.request.finished()) {
            p.slot.release();
            handler.attach(p.request);
            p.request.onConnected(ch, true);
            return;
        }
        if (next != null) {
            breakers.awaitAgain(next);
            ch.close();
            return;
        }
        idle.computeIfAbsent(key, k -> new ArrayDeque<>()).addLast(ch);
        if (breakers.idleTimeout() != null) {
            handler.closeWhenIdleFor(runtime.scheduler, breakers.idleTimeout().toMillis(), ch);
        }
    }

    private void closeOneIdle(CircuitBreakers breakers) {
        if (!breakers.hasWaiters()) return;
        for (ArrayDeque<Channel> q : idle.values()) {
            for (Iterator<Channel> it = q.iterator(); it.hasNext(); ) {
                Channel ch = it.next();
                if (handler(ch).owner() == breakers) {
                    it.remove();
                    ch.close();
                    return;
                }
            }
        }
    }

    void evict(String key, Channel ch) {
        ArrayDeque<Channel> q = idle.get(key);
        if (q != null) q.remove(ch);
    }

    /** Closes every connection, including those still carrying a request (a shadow, say): the proxy is closing. */
    ChannelGroupFuture closeAll() {
        return open.close();
    }

    EventLoop loop() {
        return loop;
    }

    /** Connections are shared per endpoint (or address dialled) and transport (plain text, or one TLS setting). */
    private String key(Cluster cluster, Endpoint endpoint) {
        String transport = cluster.transportKey();
        String address = runtime.connectKey(cluster, endpoint);
        return transport.isEmpty() ? address : transport + address; // plain text: no string made per request
    }

    private static UpstreamHandler handler(Channel ch) {
        return (UpstreamHandler) ch.pipeline().get("upstream");
    }

    /** A request waiting for a connection of this pool's loop. */
    private final class Pending implements CircuitBreakers.Waiter {
        private final Cluster cluster;
        private final Endpoint endpoint;
        private final UpstreamRequest request;
        /** The request's slot of http1MaxPendingRequests, held until it has a connection or gives up. */
        private final CircuitBreakers.Slot slot;

        Pending(Cluster cluster, Endpoint endpoint, UpstreamRequest request, CircuitBreakers.Slot slot) {
            this.cluster = cluster;
            this.endpoint = endpoint;
            this.request = request;
            this.slot = slot;
        }

        ConnectionPool pool() {
            return ConnectionPool.this;
        }

        @Override
        public boolean wake() {
            loop.execute(() -> {
                CircuitBreakers breakers = cluster.breakers();
                if (request.finished()) {
                    slot.release();
                    breakers.wakeOne();
                } else if (takeIdle(cluster, endpoint, request)) {
                    slot.release();
                } else if (breakers.tryConnection()) {
                    connect(this);
                } else {
                    breakers.awaitAgain(this);
                    breakers.wakeIfSlotFree();
                }
            });
            return true;
        }
    }
}
