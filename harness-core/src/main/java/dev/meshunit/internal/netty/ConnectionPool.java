package dev.meshunit.internal.netty;

import dev.meshunit.upstream.Endpoint;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Keep-alive connections to endpoints, one pool per event loop so that an upstream connection always
 * lives on the loop of the downstream connection that uses it (no cross-thread hand-off). Confined to
 * its event loop.
 */
final class ConnectionPool {
    static final int MAX_HEADER_BYTES = 60 * 1024;

    private final EventLoop loop;
    private final Bootstrap bootstrap;
    private final Map<String, ArrayDeque<Channel>> idle = new HashMap<>();

    ConnectionPool(EventLoop loop) {
        this.loop = loop;
        this.bootstrap = new Bootstrap()
                .group(loop)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast("codec", new HttpClientCodec(8192, MAX_HEADER_BYTES, 8192));
                        ch.pipeline().addLast("upstream", new UpstreamHandler(ConnectionPool.this));
                    }
                });
    }

    /** Hands a connected channel, or the reason there is none, to the request. */
    void acquire(Endpoint endpoint, long connectTimeoutMs, UpstreamRequest request) {
        ArrayDeque<Channel> q = idle.get(endpoint.id());
        while (q != null && !q.isEmpty()) {
            Channel ch = q.pollLast();
            if (ch.isActive()) {
                handler(ch).attach(request);
                request.onConnected(ch, true);
                return;
            }
        }
        ChannelFuture f = bootstrap.clone()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeoutMs))
                .connect(endpoint.socketAddress());
        f.addListener((ChannelFuture done) -> {
            if (done.isSuccess()) {
                handler(done.channel()).attach(request);
                request.onConnected(done.channel(), false);
            } else {
                request.onConnectFailed(done.cause());
            }
        });
    }

    void release(Endpoint endpoint, Channel ch) {
        handler(ch).detach(endpoint.id());
        if (!ch.isActive()) return;
        idle.computeIfAbsent(endpoint.id(), k -> new ArrayDeque<>()).addLast(ch);
    }

    void evict(String endpointId, Channel ch) {
        ArrayDeque<Channel> q = idle.get(endpointId);
        if (q != null) q.remove(ch);
    }

    void closeIdle() {
        for (ArrayDeque<Channel> q : idle.values()) {
            for (Channel ch : q) ch.close();
            q.clear();
        }
    }

    EventLoop loop() {
        return loop;
    }

    private static UpstreamHandler handler(Channel ch) {
        return (UpstreamHandler) ch.pipeline().get("upstream");
    }
}
