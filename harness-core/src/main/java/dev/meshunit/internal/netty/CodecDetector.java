package dev.meshunit.internal.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Envoy's {@code codec_type: AUTO} for one downstream connection: a connection that opens with HTTP/2's
 * connection preface speaks HTTP/2 (h2c with prior knowledge), any other speaks HTTP/1.1. Reads only as far
 * as it takes to tell, then gives the bytes it held to the codec it installed.
 */
final class CodecDetector extends ByteToMessageDecoder {
    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final Runnable http1;
    private final Runnable http2;

    CodecDetector(Runnable http1, Runnable http2) {
        this.http1 = http1;
        this.http2 = http2;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        int n = Math.min(in.readableBytes(), PREFACE.length);
        boolean prefix = true;
        for (int i = 0; i < n && prefix; i++) prefix = in.getByte(in.readerIndex() + i) == PREFACE[i];
        if (prefix && n < PREFACE.length) return;
        if (prefix) {
            http2.run();
        } else {
            http1.run();
        }
        ctx.pipeline().remove(this);
    }
}
