package dev.meshunit.chaos.internal.api;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.concurrent.EventExecutor;
import java.nio.charset.StandardCharsets;

/**
 * Hands each request to the {@link ApiRouter} on a separate executor, because proxy operations bind
 * and close sockets and wait for them; the I/O loop is never blocked. The request Content-Type is
 * ignored and the body parsed as JSON, as toxiproxy-java requires.
 */
public final class ApiHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private final ApiRouter router;
    private final EventExecutor blocking;

    public ApiHttpHandler(ApiRouter router, EventExecutor blocking) {
        this.router = router;
        this.blocking = blocking;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        String method = request.method().name();
        String path = new QueryStringDecoder(request.uri()).rawPath();
        String body = request.content().toString(StandardCharsets.UTF_8);
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        blocking.execute(() -> {
            ApiResponse answer = router.handle(method, path, body);
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    HttpResponseStatus.valueOf(answer.status()),
                    Unpooled.copiedBuffer(answer.body(), StandardCharsets.UTF_8));
            if (!answer.body().isEmpty()) {
                response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json; charset=utf-8");
            }
            HttpUtil.setContentLength(response, response.content().readableBytes());
            if (keepAlive) {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
                ctx.writeAndFlush(response);
            } else {
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            }
        });
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
