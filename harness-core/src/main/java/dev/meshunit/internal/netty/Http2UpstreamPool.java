package dev.meshunit.internal.netty;

import dev.meshunit.config.ServicePort;
import dev.meshunit.internal.upstream.Cluster;
import dev.meshunit.internal.upstream.Endpoint;
import dev.meshunit.internal.upstream.Service;
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
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * HTTP/2 (h2c with prior knowledge) connections of one event loop to the endpoints of ServiceEntry ports of
 * protocol HTTP2 or GRPC: many streams per connection; a connection that served
 * {@code maxRequestsPerConnection} streams takes no new ones and closes when its last stream ends; a new
 * connection needs a {@code maxConnections} slot. Each attempt is one stream ({@link Http2UpstreamRequest}).
 */
final class Http2UpstreamPool {
    private final EventLoop loop;
    private final ChannelGroup open;
    private final ProxyRuntime runtime;
    private final Map<String, List<Connection>> byEndpoint = new HashMap<>();

    /** One HTTP/2 connection and the streams it opened. */
    static final class Connection {
        final Channel channel;
        final Cluster cluster;
        int opened;
        int active;

        Connection(Channel channel, Cluster cluster) {
            this.channel = channel;
            this.cluster = cluster;
        }

        boolean takesStreams() {
            int max = cluster.breakers().maxRequestsPerConnection();
            return channel.isActive() && (max <= 0 || opened < max);
        }
    }

    Http2UpstreamPool(EventLoop loop, ChannelGroup open, ProxyRuntime runtime) {
        this.loop = loop;
        this.open = open;
        this.runtime = runtime;
    }

    /** Whether the cluster's port speaks HTTP/2 to its endpoints. */
    static boolean http2(ProxyRuntime runtime, Cluster cluster) {
        Service s = runtime.table().clusters().serviceByFqdn(cluster.key().host());
        if (s == null) return false;
        for (ServicePort p : s.ports()) {
            if (p.number() == cluster.key().port()) {
                String protocol = p.protocol() == null ? "" : p.protocol().toUpperCase();
                return protocol.equals("HTTP2") || protocol.equals("GRPC");
            }
        }
        return false;
    }

    void acquire(Cluster cluster, Endpoint endpoint, Http2UpstreamRequest request) {
        String key = cluster.key().envoyName() + "|" + endpoint.socketAddress();
        List<Connection> list = byEndpoint.computeIfAbsent(key, k -> new ArrayList<>());
        list.removeIf(c -> !c.channel.isActive());
        for (Connection c : list) {
            if (c.takesStreams()) {
                openStream(c, request);
                return;
            }
        }
        if (!cluster.breakers().tryConnection()) {
            request.onOverflow();
            return;
        }
        ChannelFuture f = new Bootstrap().group(loop).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, cluster.connectTimeout().toMillis()))
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        Http2Settings settings = Http2Settings.defaultSettings().maxHeaderListSize(ConnectionPool.MAX_HEADER_BYTES);
                        ch.pipeline().addLast(Http2FrameCodecBuilder.forClient().initialSettings(settings).build());
                        ch.pipeline().addLast(new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()));
                        ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                            @Override
                            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                ctx.close();
                            }
                        });
                    }
                })
                .connect(runtime.connectAddress(cluster, endpoint));
        Channel ch = f.channel();
        open.add(ch);
        ch.closeFuture().addListener(x -> cluster.breakers().connectionClosed());
        f.addListener((ChannelFutureListener) done -> {
            if (!done.isSuccess()) {
                request.onConnectFailed(done.cause());
                return;
            }
            cluster.connected(endpoint);
            Connection c = new Connection(ch, cluster);
            list.add(c);
            openStream(c, request);
        });
    }

    private void openStream(Connection c, Http2UpstreamRequest request) {
        c.opened++;
        c.active++;
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

    private void streamEnded(Connection c) {
        c.active--;
        // A connection that may take no more streams closes with its last one.
        if (c.active == 0 && !c.takesStreams()) c.channel.close();
    }
}
