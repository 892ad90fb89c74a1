package dev.meshunit.internal.netty;

import dev.meshunit.internal.http.ResponseHead;
import dev.meshunit.internal.http.TunnelRecord;
import dev.meshunit.journal.Connection.EndReason;
import dev.meshunit.journal.ResponseFlag;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.util.EnumSet;

/**
 * An HTTP/1.1 connection after its upgrade (a WebSocket): once the upstream answered 101, the client gets the
 * 101, both connections leave HTTP (their codecs come out of the pipelines, bytes they still held are passed
 * on) and become one byte pipe, as Envoy's router carries an upgraded stream: back-pressure both ways (a side
 * is read again only when what it sent was written to the other), half-closes passed on, a reset or close of
 * one side closes the other after what was written. No route timeout or idle timeout applies (Istio turns
 * the stream idle timeout off on sidecars). Journalled when both sides closed. Both connections share one
 * event loop; confined to it.
 */
final class UpgradeTunnel {
    private final Channel client;
    private final Channel upstream;
    private final TunnelRecord record;
    private final EnumSet<ResponseFlag> flags = EnumSet.noneOf(ResponseFlag.class);
    private long fromClient;
    private long toClient;
    private EndReason reason;
    private boolean clientFinished;
    private boolean upstreamFinished;
    private int open = 2;

    private UpgradeTunnel(Channel client, Channel upstream, TunnelRecord record) {
        this.client = client;
        this.upstream = upstream;
        this.record = record;
    }

    /**
     * The upgrade a request head asks for, in lower case, or null: none asked ({@code Connection} has no
     * {@code upgrade} token), or h2c, which Envoy's codec drops and serves the request as HTTP/1.1 (an h2c
     * upgrade the proxy takes never gets here, see {@link H2cUpgrade}).
     */
    static String requestedUpgrade(HttpHeaders h) {
        String upgrade = h.get(HttpHeaderNames.UPGRADE);
        boolean asked = h.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true);
        if (!asked || upgrade == null || H2cUpgrade.asksForH2c(h)) return null;
        return upgrade.trim().toLowerCase(java.util.Locale.ROOT);
    }

    /** Writes the 101 on the client's connection ({@code cm} its connection manager) and joins it to {@code upstream}. */
    static void open(ChannelHandlerContext cm, Channel upstream, ResponseHead head, TunnelRecord record) {
        Channel client = cm.channel();
        UpgradeTunnel t = new UpgradeTunnel(client, upstream, record);
        if (!client.isActive() || !upstream.isActive()) {
            t.open = 0;
            upstream.close();
            client.close();
            record.ended(0, 0, client.isActive() ? EndReason.UPSTREAM_CLOSE : EndReason.CLIENT_CLOSE, t.flags);
            return;
        }
        // The 101 goes through the HTTP encoder first; after it, nothing on either connection is HTTP.
        cm.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SWITCHING_PROTOCOLS,
                Unpooled.EMPTY_BUFFER, NettyHeaders.unwrap(head.headers()), EmptyHttpHeaders.INSTANCE));
        for (Channel ch : new Channel[] {client, upstream}) {
            ch.config().setAutoRead(false);
            ch.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        }
        ChannelPipeline up = upstream.pipeline();
        // Bytes the client's decoder still held go upstream before that codec is gone: its encoder passes them.
        ((HttpClientCodec) up.get("codec")).prepareUpgradeFrom(up.context("codec"));
        ChannelPipeline down = client.pipeline();
        for (String http : new String[] {"cm", "expect", "h2c"}) {
            if (down.get(http) != null) down.remove(http);
        }
        // No HTTP/1 head limits or timers on the tunnel's bytes: only the connection count stays.
        if (down.get("guard") instanceof DownstreamGuard guard) guard.http2();
        down.addLast("tunnel", new Side(t, client));
        down.remove("codec"); // what its decoder held goes on to the tunnel
        up.replace("upstream", "tunnel", new Side(t, upstream));
        // Inside the decoder's own callback (the 101 it decoded), as Netty's upgrade handlers do it.
        up.remove("codec");
        client.read();
        upstream.read();
    }

    private Channel other(Channel ch) {
        return ch == client ? upstream : client;
    }

    /** Reads on unless that side has ended its input (a read after it would only hear the end again). */
    private void readOn(Channel from) {
        if (!(from == client ? clientFinished : upstreamFinished)) from.read();
    }

    private void onRead(Channel from, Object msg) {
        if (!(msg instanceof ByteBuf buf)) {
            ReferenceCountUtil.release(msg); // the empty end of the 101 from the upstream's decoder
            readOn(from);
            return;
        }
        if (from == client) {
            fromClient += buf.readableBytes();
        } else {
            toClient += buf.readableBytes();
        }
        Channel to = other(from);
        to.writeAndFlush(buf).addListener((ChannelFuture f) -> {
            if (f.isSuccess()) {
                readOn(from);
            } else {
                failed(to);
            }
        });
    }

    /** One side sent FIN: passed on once what it sent before is written; both done closes both. */
    private void onInputShutdown(Channel from) {
        if (from == client) {
            clientFinished = true;
        } else {
            upstreamFinished = true;
        }
        end(from == client ? EndReason.CLIENT_CLOSE : EndReason.UPSTREAM_CLOSE);
        Channel to = other(from);
        to.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener((ChannelFuture f) -> {
            if (clientFinished && upstreamFinished || !(to instanceof DuplexChannel duplex) || !to.isActive()) {
                client.close();
                upstream.close();
            } else {
                duplex.shutdownOutput();
            }
        });
    }

    private void onClosed(Channel which) {
        end(which == client ? EndReason.CLIENT_CLOSE : EndReason.UPSTREAM_CLOSE);
        Channel to = other(which);
        if (to.isActive()) to.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> to.close());
        if (--open == 0) record.ended(fromClient, toClient, reason, flags);
    }

    private void failed(Channel where) {
        end(EndReason.RESET);
        where.close();
    }

    private void end(EndReason why) {
        if (reason == null) reason = why;
    }

    /** The tunnel's handler on one of its connections. */
    private static final class Side extends ChannelInboundHandlerAdapter {
        private final UpgradeTunnel tunnel;
        private final Channel channel;

        Side(UpgradeTunnel tunnel, Channel channel) {
            this.tunnel = tunnel;
            this.channel = channel;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            tunnel.onRead(channel, msg);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof ChannelInputShutdownEvent) tunnel.onInputShutdown(channel);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            tunnel.onClosed(channel);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            tunnel.failed(channel);
        }
    }
}
