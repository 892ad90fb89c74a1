package dev.meshunit.internal.netty;

import dev.meshunit.internal.time.Scheduler;
import dev.meshunit.internal.upstream.CircuitBreakers;
import dev.meshunit.internal.upstream.Cluster;
import dev.meshunit.internal.upstream.Endpoint;
import dev.meshunit.internal.upstream.TlsOrigination;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2SettingsFrame;
import io.netty.util.ReferenceCountUtil;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.ssl.SslHandler;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLException;

/**
 * HTTP/2 connections of one event loop to endpoints ({@link UpstreamProtocol} says which clusters), h2c with
 * prior knowledge or h2 over TLS origination (ALPN h2): many streams per connection
 * ({@link Http2UpstreamConnection}); a new connection needs a {@code maxConnections} slot; with none free a
 * request waits as pending ({@code http1MaxPendingRequests}, which Envoy applies to HTTP/2 pools too) for a
 * stream or a slot, and overflows (503 UO) beyond that. Each attempt is one stream ({@link Http2UpstreamRequest}).
 */
final class Http2UpstreamPool {
    /** The receive window of a whole upstream connection (Envoy's default is 256 MiB; ours is bounded). */
    static final int CONNECTION_WINDOW = 16 * 1024 * 1024;

    private final EventLoop loop;
    private final ChannelGroup open;
    private final Scheduler scheduler;
    private final ProxyRuntime runtime;
    private final Map<String, List<Http2UpstreamConnection>> byEndpoint = new HashMap<>();

    private final Transport transport;

    Http2UpstreamPool(EventLoop loop, ChannelGroup open, ProxyRuntime runtime, Transport transport) {
        this.loop = loop;
        this.open = open;
        this.runtime = runtime;
        this.scheduler = runtime.scheduler;
        this.transport = transport;
    }

    void acquire(Cluster cluster, Endpoint endpoint, Http2UpstreamRequest request) {
        acquire(cluster, endpoint, request, null);
    }

    /** @param pending the request's pending slot when it waited already, else null */
    private void acquire(Cluster cluster, Endpoint endpoint, Http2UpstreamRequest request, CircuitBreakers.Slot pending) {
        if (request.finished()) {
            if (pending != null) {
                pending.release();
                cluster.breakers().wakeOne(); // what woke it goes to the next waiter
            }
            return;
        }
        String key = cluster.transportKey() + "|" + cluster.key().envoyName() + "|" + endpoint.socketAddress();
        List<Http2UpstreamConnection> list = byEndpoint.computeIfAbsent(key, k -> new ArrayList<>());
        list.removeIf(c -> !c.channel.isOpen());
        for (Http2UpstreamConnection c : list) {
            if (c.takesStreams()) {
                if (pending != null) pending.release();
                reserve(c, request);
                return;
            }
        }
        CircuitBreakers breakers = cluster.breakers();
        if (breakers.tryConnection()) {
            if (pending != null) pending.release();
            Http2UpstreamConnection c = connect(cluster, endpoint, key);
            list.add(c);
            reserve(c, request);
            return;
        }
        CircuitBreakers.Slot slot = pending != null ? pending : breakers.tryPending();
        if (slot == null) {
            request.onOverflow();
            return;
        }
        CircuitBreakers.Waiter waiter = () -> {
            loop.execute(() -> acquire(cluster, endpoint, request, slot));
            return true;
        };
        request.waiting(waiter, slot);
        if (pending != null) {
            breakers.awaitAgain(waiter); // it lost the race for what woke it: first in line again
        } else {
            breakers.await(waiter);
        }
        breakers.wakeIfSlotFree();
    }

    private Http2UpstreamConnection connect(Cluster cluster, Endpoint endpoint, String key) {
        TlsOrigination tls = cluster.tls();
        SslHandler[] ssl = new SslHandler[1];
        Http2UpstreamConnection[] self = new Http2UpstreamConnection[1];
        Bootstrap b = new Bootstrap().group(loop).channel(transport.socketChannel())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, cluster.connectTimeout().toMillis()))
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (tls != null && tls.h2Context() != null) {
                            // Before the codec, so that the connection preface goes inside TLS.
                            ssl[0] = tls.h2Context().newHandler(ch.alloc(), tls.sni(), endpoint.port());
                            ch.pipeline().addLast("tls", ssl[0]);
                        }
                        Http2Settings settings = Http2Settings.defaultSettings().maxHeaderListSize(ConnectionPool.MAX_HEADER_BYTES);
                        ch.pipeline().addLast(Http2FrameCodecBuilder.forClient().initialSettings(settings).build());
                        ch.pipeline().addLast(new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()));
                        ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                // Streams go once the server said how many it takes (its first SETTINGS).
                                if (msg instanceof Http2SettingsFrame && self[0] != null && !self[0].ready) {
                                    ready(self[0], endpoint);
                                }
                                ReferenceCountUtil.release(msg);
                            }

                            @Override
                            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                ctx.close();
                            }
                        });
                    }
                });
        TcpKeepalive.apply(b, cluster.policy(), transport);
        ChannelFuture f = b.connect(runtime.connectAddress(cluster, endpoint));
        Channel ch = f.channel();
        open.add(ch);
        Http2UpstreamConnection c = new Http2UpstreamConnection(ch, cluster, key);
        self[0] = c;
        CircuitBreakers breakers = cluster.breakers();
        ch.closeFuture().addListener(x -> {
            c.closed();
            breakers.connectionClosed();
            failStarting(c, new java.nio.channels.ClosedChannelException());
        });
        f.addListener((ChannelFutureListener) done -> {
            if (!done.isSuccess()) {
                failStarting(c, done.cause());
            } else if (tls != null && ssl[0] == null) {
                failStarting(c, new SSLException(tls.error()));
                ch.close();
            } else if (tls != null) {
                UpstreamTls.verify(ssl[0], tls, cause -> {
                    if (cause != null) {
                        failStarting(c, cause);
                        ch.close();
                    }
                });
            }
        });
        return c;
    }

    private void ready(Http2UpstreamConnection c, Endpoint endpoint) {
        c.ready = true;
        widenConnectionWindow(c.channel);
        c.cluster.connected(endpoint);
        List<Http2UpstreamRequest> waiting = new ArrayList<>(c.starting);
        c.starting.clear();
        int limit = c.streamLimit();
        int streams = c.active - waiting.size();
        for (Http2UpstreamRequest r : waiting) {
            if (streams < limit) {
                streams++;
                openStream(c, r);
            } else {
                // The server takes fewer streams than were waiting: the rest look for another connection.
                c.unreserve();
                acquire(c.cluster, endpoint, r, null);
            }
        }
    }

    /**
     * The connection's receive window grows to {@link #CONNECTION_WINDOW}, so that many streams' answers arrive at
     * once (Netty's 64 KiB would let four 16 KiB answers through per round trip); each stream keeps its 64 KiB
     * window, which bounds what the proxy holds for a client that reads slowly.
     */
    private static void widenConnectionWindow(Channel ch) {
        Http2FrameCodec codec = ch.pipeline().get(Http2FrameCodec.class);
        if (codec == null) return;
        Http2Connection connection = codec.connection();
        Http2Stream stream = connection.connectionStream();
        int now = connection.local().flowController().windowSize(stream);
        try {
            if (now < CONNECTION_WINDOW) connection.local().flowController().incrementWindowSize(stream, CONNECTION_WINDOW - now);
            ch.flush();
        } catch (Http2Exception e) {
            ch.close();
        }
    }

    private void failStarting(Http2UpstreamConnection c, Throwable cause) {
        List<Http2UpstreamRequest> waiting = new ArrayList<>(c.starting);
        c.starting.clear();
        for (Http2UpstreamRequest r : waiting) {
            c.release();
            r.onConnectFailed(cause);
        }
    }

    private void reserve(Http2UpstreamConnection c, Http2UpstreamRequest request) {
        c.reserve();
        if (c.ready) {
            openStream(c, request);
        } else {
            c.starting.add(request);
        }
    }

    private void openStream(Http2UpstreamConnection c, Http2UpstreamRequest request) {
        boolean reused = c.opened > 1;
        new Http2StreamChannelBootstrap(c.channel).handler(request.handler()).open().addListener(f -> {
            if (!f.isSuccess()) {
                streamEnded(c);
                request.onConnectFailed(f.cause());
                return;
            }
            Channel stream = (Channel) f.getNow();
            stream.closeFuture().addListener(x -> streamEnded(c));
            request.onStream(stream, reused);
        });
    }

    private void streamEnded(Http2UpstreamConnection c) {
        boolean idle = c.release();
        CircuitBreakers breakers = c.cluster.breakers();
        if (idle && c.exhausted()) {
            // It may take no more streams: it closes with its last one (the close wakes a waiter).
            c.channel.close();
            return;
        }
        if (breakers.hasWaiters()) {
            // A stream is free: the first waiter takes it (or, from another loop, a slot once this one closes).
            breakers.wakeOne();
        }
        if (idle && c.channel.isOpen()) c.closeWhenIdle(scheduler);
    }
}
