package dev.meshunit.junit.internal.stub;

import dev.meshunit.junit.RecordedRequest;
import dev.meshunit.junit.StubAnswer;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
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
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One connection of a stub: records each request, answers it from the script after the answer's delay, and
 * answers pipelined requests in the order they came (a later one waits for the one before).
 */
final class StubHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private final StubScript script;
    private final String label;
    private final long connection;
    private final Consumer<RecordedRequest> recorder;
    private final java.util.function.LongSupplier sequence;
    private final ArrayDeque<FullHttpRequest> waiting = new ArrayDeque<>();
    private boolean busy;

    StubHandler(StubScript script, String label, long connection, java.util.function.LongSupplier sequence,
            Consumer<RecordedRequest> recorder) {
        this.script = script;
        this.label = label;
        this.connection = connection;
        this.sequence = sequence;
        this.recorder = recorder;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        waiting.add(request.retain());
        if (!busy) answerNext(ctx);
    }

    private void answerNext(ChannelHandlerContext ctx) {
        FullHttpRequest request = waiting.poll();
        if (request == null) {
            busy = false;
            return;
        }
        busy = true;
        StubAnswer answer;
        boolean keepAlive;
        try {
            if (request.decoderResult().isFailure()) {
                answer = StubAnswer.status(400);
                keepAlive = false;
                waiting.forEach(FullHttpRequest::release);
                waiting.clear();
            } else {
                recorder.accept(record(request));
                answer = script.next(pathOf(request.uri()));
                keepAlive = HttpUtil.isKeepAlive(request);
            }
        } finally {
            request.release();
        }
        if (answer.delay().isZero()) {
            write(ctx, answer, keepAlive);
        } else {
            ctx.executor().schedule(() -> write(ctx, answer, keepAlive), answer.delay().toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    private void write(ChannelHandlerContext ctx, StubAnswer answer, boolean keepAlive) {
        if (!ctx.channel().isActive()) return;
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(answer.status()), Unpooled.wrappedBuffer(answer.body()));
        for (Map.Entry<String, String> h : answer.headers()) response.headers().add(h.getKey(), h.getValue());
        if (label != null) response.headers().set(StubServer.LABEL_HEADER, label);
        HttpUtil.setContentLength(response, response.content().readableBytes());
        if (!keepAlive) response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(response).addListener(f -> {
            if (!keepAlive || !f.isSuccess()) {
                ctx.close();
            } else {
                answerNext(ctx);
            }
        });
    }

    private RecordedRequest record(FullHttpRequest request) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (Map.Entry<String, String> h : request.headers()) {
            headers.computeIfAbsent(h.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(h.getValue());
        }
        return new RecordedRequest(sequence.getAsLong(), connection, Instant.now(), request.method().name(), request.uri(),
                headers, ByteBufUtil.getBytes(request.content()));
    }

    private static String pathOf(String uri) {
        int q = uri.indexOf('?');
        return q < 0 ? uri : uri.substring(0, q);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        FullHttpRequest r;
        while ((r = waiting.poll()) != null) r.release();
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // a client that went away mid-request, or a malformed request: nothing to answer
        ctx.close();
    }
}
