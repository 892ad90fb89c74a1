package dev.meshunit.internal.netty;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;

/**
 * The HTTP/2 connection manager of one downstream connection: Netty's frame codec owns the connection
 * (settings, flow control, PING, GOAWAY, hostile frames answered with GOAWAY or RST_STREAM), and every
 * stream the client opens becomes a child channel with its own {@link Http2StreamManager}, which feeds the
 * same codec-independent stream the HTTP/1 connection manager feeds. Streams of one connection share its
 * event loop.
 */
final class Http2ConnectionManager {
    /** Envoy's default {@code max_concurrent_streams}, announced in SETTINGS_MAX_CONCURRENT_STREAMS. */
    static final long MAX_CONCURRENT_STREAMS = Integer.MAX_VALUE;
    /** Envoy's {@code max_outbound_control_frames} default. */
    static final int MAX_OUTBOUND_CONTROL_FRAMES = 1000;
    /** Envoy's {@code max_consecutive_inbound_frames_with_empty_payload} default. */
    static final int MAX_CONSECUTIVE_EMPTY_FRAMES = 1;
    static final int MAX_RESETS_PER_WINDOW = 200;
    static final int RESET_WINDOW_SECONDS = 30;

    private Http2ConnectionManager() {}

    /** Makes {@code ch} speak HTTP/2; its bytes so far are the client's connection preface. */
    static void install(Channel ch, ProxyRuntime runtime, String fixedAuthority) {
        ch.pipeline().addLast("h2", frameCodec());
        ChannelHandler[] streams = streamHandlers(ch, runtime, fixedAuthority);
        ch.pipeline().addLast("h2-streams", streams[0]);
        ch.pipeline().addLast("h2-errors", streams[1]);
    }

    /**
     * The connection's frame codec: Envoy's defaults for what the proxy announces in its SETTINGS (streams, header
     * list) and for the floods it refuses with GOAWAY. Flow-control windows stay at the RFC's 64 KiB (Envoy's
     * are 256 MiB): a stream whose reading is held buffers at most that much in the heap.
     */
    static Http2FrameCodec frameCodec() {
        Http2Settings settings = Http2Settings.defaultSettings()
                .maxConcurrentStreams(MAX_CONCURRENT_STREAMS)
                // Envoy's max_request_headers_kb default: 60 KiB, as on HTTP/1.
                .maxHeaderListSize(ConnectionPool.MAX_HEADER_BYTES);
        return Http2FrameCodecBuilder.forServer().initialSettings(settings)
                // max_outbound_control_frames: PING/SETTINGS acks and resets a client does not read
                .encoderEnforceMaxQueuedControlFrames(MAX_OUTBOUND_CONTROL_FRAMES)
                // max_consecutive_inbound_frames_with_empty_payload
                .decoderEnforceMaxConsecutiveEmptyDataFrames(MAX_CONSECUTIVE_EMPTY_FRAMES)
                // rapid reset (CVE-2023-44487): Netty's bound, Envoy's premature-reset check is similar in effect
                .decoderEnforceMaxRstFramesPerWindow(MAX_RESETS_PER_WINDOW, RESET_WINDOW_SECONDS)
                .build();
    }

    /** What follows the frame codec: one {@link Http2StreamManager} per stream, and the connection's error end. */
    static ChannelHandler[] streamHandlers(Channel ch, ProxyRuntime runtime, String fixedAuthority) {
        String source = String.valueOf(ch.remoteAddress()).replaceFirst("^/", "");
        return new ChannelHandler[] {new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
            @Override
            protected void initChannel(Http2StreamChannel stream) {
                stream.pipeline().addLast("sm", new Http2StreamManager(runtime, fixedAuthority, source));
            }
        }), new ChannelInboundHandlerAdapter() {
            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                // An HTTP/2 connection error is shown here before the codec answers it with a GOAWAY carrying its
                // error code and closes: closing first would send a GOAWAY with NO_ERROR instead. Anything else
                // (an I/O error) ends the connection here.
                if (Http2CodecUtil.getEmbeddedHttp2Exception(cause) == null) ctx.close();
            }
        }};
    }
}
