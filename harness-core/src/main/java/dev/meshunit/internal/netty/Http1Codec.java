package dev.meshunit.internal.netty;

import dev.meshunit.downstream.DownstreamLimits;
import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import java.lang.reflect.Field;

/**
 * The downstream HTTP/1.1 codec, sized as Envoy's: a request line may take the whole header budget (Envoy counts
 * the URI in {@code max_request_headers_kb}), the headers a little more, so that the exact check on the complete
 * head ({@link Http1RequestChecks}) decides, not the codec. Its decoder's buffer is watched by the
 * {@link DownstreamGuard}.
 */
final class Http1Codec {
    private static final int SLACK = 8 * 1024;
    /** {@code HttpServerCodec} is final and keeps its decoder private; the guard needs only to set its cumulator. */
    private static final Field INBOUND = inboundField();

    private Http1Codec() {}

    static HttpServerCodec create(DownstreamLimits limits, DownstreamGuard guard) {
        int bytes = limits.maxRequestHeadersBytes();
        HttpServerCodec codec = new HttpServerCodec(new HttpDecoderConfig().setMaxInitialLineLength(bytes + SLACK)
                .setMaxHeaderSize(bytes + SLACK).setMaxChunkSize(8192));
        if (INBOUND != null && guard != null) {
            try {
                guard.watch((ByteToMessageDecoder) INBOUND.get(codec));
            } catch (IllegalAccessException | ClassCastException e) {
                // Without it the guard counts whole reads: a pipelined head's first bytes wait for the next read.
            }
        }
        return codec;
    }

    private static Field inboundField() {
        try {
            Field f = CombinedChannelDuplexHandler.class.getDeclaredField("inboundHandler");
            f.setAccessible(true);
            return f;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
