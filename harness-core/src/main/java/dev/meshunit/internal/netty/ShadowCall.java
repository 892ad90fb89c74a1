package dev.meshunit.internal.netty;

import dev.meshunit.journal.DestinationRef;
import dev.meshunit.journal.RecordedResponse;
import dev.meshunit.journal.ResponseFlag;
import dev.meshunit.journal.ShadowExchange;
import dev.meshunit.upstream.Endpoint;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import dev.meshunit.internal.time.Scheduler;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One shadow copy of a request (Envoy's shadow stream): its own connection, opened on the primary's event
 * loop but never waited for. It reads the whole answer (keeping the start of the body when asked), then
 * closes and journals itself. Whatever happens to it, the primary is not told. Confined to its event loop.
 */
final class ShadowCall extends ChannelInboundHandlerAdapter {
    /** What to send: the request as the primary sent it, Host already suffixed. */
    record Copy(long primaryId, HttpMethod method, String uri, HttpHeaders headers, byte[] body,
                DestinationRef destination, Endpoint endpoint, long timeoutMs, long connectTimeoutMs) {}

    private final ShadowSender sender;
    private final Copy copy;
    private final Instant start;
    private final long startNanos;
    private final ResponseCapture capture;
    private Channel channel;
    private Scheduler.Timer timer;
    private boolean interim;
    private boolean done;

    ShadowCall(ShadowSender sender, Copy copy) {
        this.sender = sender;
        this.copy = copy;
        this.start = sender.scheduler.clock().instant();
        this.startNanos = sender.scheduler.nanoTime();
        this.capture = new ResponseCapture(sender.options.recordBodyBytes());
    }

    /** Connects and sends; the caller holds one of the sender's slots, which {@link #end} gives back. */
    void start(EventLoop loop) {
        copy.endpoint().requestStarted();
        timer = sender.scheduler.schedule(loop, () -> end(0, EnumSet.of(ResponseFlag.UT), "shadow timeout"),
                copy.timeoutMs());
        ChannelFuture f = new Bootstrap()
                .group(loop)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, copy.connectTimeoutMs()))
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast("codec", new HttpClientCodec(8192, ConnectionPool.MAX_HEADER_BYTES, 8192));
                        ch.pipeline().addLast("shadow", ShadowCall.this);
                    }
                })
                .connect(copy.endpoint().socketAddress());
        channel = f.channel();
        sender.track(channel);
        f.addListener((ChannelFuture c) -> {
            if (!c.isSuccess()) {
                end(0, EnumSet.of(ResponseFlag.UF), "connection failure, " + UpstreamRequest.describe(c.cause()));
            } else if (done) {
                c.channel().close();
            } else {
                c.channel().writeAndFlush(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, copy.method(), copy.uri(),
                        Unpooled.wrappedBuffer(copy.body()), copy.headers(), EmptyHttpHeaders.INSTANCE));
            }
        });
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (done || !(msg instanceof HttpObject obj)) return;
            if (obj.decoderResult().isFailure()) {
                end(0, EnumSet.of(ResponseFlag.UPE), "protocol error: " + UpstreamRequest.describe(obj.decoderResult().cause()));
                return;
            }
            if (msg instanceof HttpResponse head) {
                int code = head.status().code();
                interim = code >= 100 && code < 200 && code != 101;
                if (!interim) capture.head(code, head.headers());
            }
            if (msg instanceof HttpContent content) {
                if (!interim) capture.content(content.content());
                if (content instanceof LastHttpContent) {
                    if (interim) {
                        interim = false;
                    } else {
                        end(capture.status(), EnumSet.noneOf(ResponseFlag.class), null);
                    }
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        end(0, EnumSet.of(ResponseFlag.UC), "connection termination");
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    private void end(int status, Set<ResponseFlag> flags, String note) {
        if (done) return;
        done = true;
        if (timer != null) timer.cancel();
        copy.endpoint().requestFinished();
        if (channel != null) channel.close();
        RecordedResponse response = capture.hasHead() ? capture.result() : null;
        double ms = Math.round((sender.scheduler.nanoTime() - startNanos) / 1000.0) / 1000.0;
        try {
            sender.record(new ShadowExchange(copy.primaryId(), start, copy.method().name(),
                    copy.headers().get(HttpHeaderNames.HOST), copy.uri(), copy.destination(),
                    copy.endpoint().id(), status, note, flags, ms, response));
        } finally {
            // after recording, so that shadowsInFlight() == 0 means every shadow is in the journal
            sender.release();
        }
    }
}
