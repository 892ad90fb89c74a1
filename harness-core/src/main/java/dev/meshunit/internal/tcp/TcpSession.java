package dev.meshunit.internal.tcp;

import dev.meshunit.internal.netty.TcpKeepalive;
import dev.meshunit.internal.netty.Transport;
import dev.meshunit.journal.Connection.EndReason;
import dev.meshunit.journal.DestinationRef;
import dev.meshunit.journal.ResponseFlag;
import dev.meshunit.internal.routing.L4Listener;
import dev.meshunit.internal.routing.TcpRouteMatch;
import dev.meshunit.internal.routing.TcpRouteTable;
import dev.meshunit.internal.routing.WeightedDestination;
import dev.meshunit.internal.upstream.Cluster;
import dev.meshunit.internal.upstream.ClusterKey;
import dev.meshunit.internal.upstream.Endpoint;
import dev.meshunit.internal.upstream.HashPolicy;
import dev.meshunit.internal.upstream.RequestHash;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.ssl.SniCompletionEvent;
import dev.meshunit.internal.netty.ConnectTimeout;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.netty.util.ReferenceCountUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Set;

/**
 * One proxied connection, Envoy's tcp_proxy: routes once (after the SNI when the listener reads one), picks
 * the weighted destination, cluster and endpoint, opens one upstream connection on the same event loop, then
 * relays bytes with back-pressure, passes half-closes on, and journals the connection when both sides are
 * closed. Confined to the downstream connection's event loop.
 */
final class TcpSession extends ChannelInboundHandlerAdapter {
    private final TcpProxy proxy;
    private final L4Listener listener;
    private final List<InetAddress> declared;
    private final ArrayDeque<ByteBuf> held = new ArrayDeque<>();
    private Channel inbound;
    private Channel outbound;
    private boolean connected;
    private boolean clientFinished;
    private boolean upstreamFinished;
    private boolean draining; // refused or failed: the client's bytes are dropped until its FIN
    private int open;
    private ConnectionLog log;
    private IdleTimer idle;

    private static final long REFUSED_DRAIN_MS = 1000;
    TcpSession(TcpProxy proxy, L4Listener listener, List<InetAddress> declared) {
        this.proxy = proxy;
        this.listener = listener;
        this.declared = declared;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        inbound = ctx.channel();
        log = new ConnectionLog(proxy.journal.nextId(), proxy.scheduler, ConnectionLog.address(inbound.remoteAddress()),
                listener.name());
        open = 1;
        inbound.closeFuture().addListener(f -> closed(inbound));
        if (listener.tls()) {
            ctx.read(); // the inspector reads on until it has the ClientHello
        } else {
            route(null);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SniCompletionEvent sni) {
            if (sni.cause() == null) {
                log.sni = sni.hostname();
                route(sni.hostname());
            } else if (sni.cause() instanceof SslHandshakeTimeoutException) {
                log.end(EndReason.INSPECTION_TIMEOUT);
                inbound.close();
            } else {
                // A TLS record that cannot start a handshake (Envoy's tls_inspector closes too).
                log.end(EndReason.NO_ROUTE, ResponseFlag.DPE);
                inbound.close();
            }
        } else if (evt instanceof ChannelInputShutdownEvent) {
            clientFinished();
        }
    }

    private void route(String sni) {
        TcpRouteTable table = proxy.table();
        TcpRouteMatch match = table.route(listener, sni, declared.isEmpty()
                ? List.of(((InetSocketAddress) inbound.localAddress()).getAddress()) : declared);
        if (!match.found()) {
            refuse(EndReason.NO_ROUTE, ResponseFlag.NR);
            return;
        }
        log.route = match.route().ref();
        WeightedDestination d = match.route().action().pick(proxy.random);
        ClusterKey key = table.clusterKey(d, listener);
        log.destination = new DestinationRef(d.host(), d.subset(),
                key != null ? key.port() : d.port() != null ? d.port() : listener.port());
        Cluster cluster = key == null ? null : table.clusters().cluster(key);
        if (cluster == null) {
            refuse(EndReason.NO_ROUTE, ResponseFlag.NC);
            return;
        }
        Endpoint endpoint = cluster.choose(hash(cluster.hashPolicy()), Set.of(), proxy.random);
        if (endpoint == null) {
            refuse(EndReason.NO_HEALTHY_UPSTREAM, ResponseFlag.UH);
            return;
        }
        if (!cluster.breakers().tryConnection()) {
            refuse(EndReason.OVERFLOW, ResponseFlag.UO);
            return;
        }
        connect(cluster, endpoint);
    }

    /** Istio gives tcp_proxy a hash policy only for useSourceIp; other keys do not exist on a connection. */
    private RequestHash hash(HashPolicy policy) {
        if (policy == null || policy.source() != HashPolicy.Source.SOURCE_IP) return RequestHash.NONE;
        return RequestHash.of(((InetSocketAddress) inbound.remoteAddress()).getAddress().getHostAddress());
    }

    /** FIN, drain, close at the client's FIN or after 1 s: closing over unread bytes resets, as timing decides. */
    private void refuse(EndReason reason, ResponseFlag... flags) {
        log.end(reason, flags);
        if (clientFinished || !(inbound instanceof DuplexChannel duplex) || !inbound.isActive()) {
            inbound.close();
            return;
        }
        draining = true;
        duplex.shutdownOutput();
        inbound.config().setAutoRead(true);
        proxy.scheduler.scheduleGuard(inbound.eventLoop(), inbound::close, REFUSED_DRAIN_MS);
    }

    private void connect(Cluster cluster, Endpoint endpoint) {
        log.endpoint = endpoint.id();
        Transport transport = Transport.of(inbound);
        Bootstrap b = new Bootstrap().group(inbound.eventLoop()).channel(transport.socketChannel())
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 0) // the proxy's own timer, below
                .handler(new UpstreamRelay(this));
        TcpKeepalive.apply(b, cluster.policy(), transport);
        ChannelFuture f = b.connect(endpoint.connectAddress(proxy.addressing, cluster.key().host()));
        ConnectTimeout.watch(proxy.scheduler, f, cluster.connectTimeout().toMillis());
        Channel ch = f.channel();
        outbound = ch;
        open++;
        ch.closeFuture().addListener(x -> {
            cluster.breakers().connectionClosed();
            closed(ch);
        });
        f.addListener((ChannelFuture done) -> {
            if (done.isSuccess()) {
                onConnected(cluster, endpoint);
            } else {
                cluster.localFailure(endpoint);
                // tcp_proxy makes max_connect_attempts (1) tries: the failure, then the limit.
                refuse(EndReason.CONNECT_FAILURE, ResponseFlag.UF, ResponseFlag.URX); // bytes sent meanwhile are unread
                ch.close();
            }
        });
    }

    private void onConnected(Cluster cluster, Endpoint endpoint) {
        cluster.connected(endpoint);
        var od = cluster.policy().outlierDetection();
        // Without split local/external errors Envoy counts a successful connect as a 200 from the endpoint.
        if (od != null && !Boolean.TRUE.equals(od.splitExternalLocalOriginErrors())) cluster.responded(endpoint, 200);
        if (!inbound.isActive()) {
            outbound.close();
            return;
        }
        connected = true;
        idle = IdleTimer.start(proxy.scheduler, inbound, cluster.policy(), () -> {
            log.end(EndReason.IDLE_TIMEOUT);
            inbound.close();
            outbound.close();
        });
        outbound.read();
        if (held.isEmpty() && !clientFinished) inbound.read();
        while (!held.isEmpty()) forward(held.poll());
        if (clientFinished) {
            log.end(EndReason.CLIENT_CLOSE);
            finishTowards(outbound);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf buf = (ByteBuf) msg;
        if (connected) {
            forward(buf);
        } else if (log.ended()) {
            buf.release();
        } else {
            held.add(buf); // the ClientHello, or bytes sent while the upstream connection is being opened
        }
    }

    private void forward(ByteBuf buf) {
        log.bytesFromClient += buf.readableBytes();
        if (idle != null) idle.touch();
        outbound.writeAndFlush(buf).addListener((ChannelFuture f) -> {
            if (f.isSuccess()) {
                // Not past the end: epoll closes a channel asked to read again after its input was shut down.
                if (!clientFinished) inbound.read();
            } else {
                failed(outbound, f.cause());
            }
        });
    }

    void fromUpstream(ByteBuf buf) {
        log.bytesToClient += buf.readableBytes();
        if (idle != null) idle.touch();
        inbound.writeAndFlush(buf).addListener((ChannelFuture f) -> {
            if (f.isSuccess()) {
                if (!upstreamFinished) outbound.read();
            } else {
                failed(inbound, f.cause());
            }
        });
    }

    private void clientFinished() {
        clientFinished = true;
        if (draining) {
            inbound.close();
        } else if (connected) {
            log.end(EndReason.CLIENT_CLOSE);
            finishTowards(outbound);
        } else if (outbound == null) {
            log.end(EndReason.CLIENT_CLOSE);
            inbound.close(); // still routing: nothing to pass the close on to
        }
        // else still connecting (epoll reports a close even while reads are off): the connect's outcome decides
    }

    void upstreamFinished() {
        upstreamFinished = true;
        log.end(EndReason.UPSTREAM_CLOSE);
        finishTowards(inbound);
    }

    /** Passes a half-close on once every byte before it is written; closes both sides when both have finished. */
    private void finishTowards(Channel ch) {
        ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener((ChannelFuture f) -> {
            if (clientFinished && upstreamFinished || !(ch instanceof DuplexChannel duplex) || !ch.isActive()) {
                inbound.close();
                outbound.close(); // set: a half-close is passed on only once connected
            } else {
                duplex.shutdownOutput();
            }
        });
    }

    void failed(Channel where, Throwable cause) {
        log.end(EndReason.RESET);
        where.close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        failed(inbound, cause);
    }

    /** One side closed: the other gets what is still queued for it, then closes; the last one journals. */
    private void closed(Channel which) {
        open--;
        if (which == inbound) {
            log.end(proxy.isClosing() ? EndReason.PROXY_CLOSED : EndReason.CLIENT_CLOSE);
            if (outbound != null && outbound.isActive()) outbound.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        } else if (connected) {
            log.end(proxy.isClosing() ? EndReason.PROXY_CLOSED : EndReason.UPSTREAM_CLOSE);
            if (inbound.isActive()) inbound.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        } // a connection that never completed: the connect listener says why
        if (open > 0) return;
        ByteBuf b;
        while ((b = held.poll()) != null) ReferenceCountUtil.release(b);
        if (idle != null) idle.cancel();
        log.record(proxy.journal, EndReason.CLIENT_CLOSE);
    }
}
