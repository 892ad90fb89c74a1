package dev.meshunit.internal.netty;

import dev.meshunit.internal.http.ActiveStream;
import dev.meshunit.internal.http.LocalReply;
import dev.meshunit.internal.http.RequestHead;
import dev.meshunit.journal.ResponseFlag;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.util.ReferenceCountUtil;
import java.util.Map;

/**
 * One HTTP/2 stream of a downstream connection, adapted to a codec-independent {@link ActiveStream}: the
 * HEADERS frame becomes the request head (pseudo-headers split off, {@code :authority} as the host), DATA
 * frames the body, a trailing HEADERS frame the trailers, RST_STREAM a client that went away. Reading (and so
 * the stream's flow-control window) is held while the body has nowhere to go.
 */
final class Http2StreamManager extends ChannelInboundHandlerAdapter implements ActiveStream.Owner {
    private final ProxyRuntime runtime;
    private final String fixedAuthority;
    private final String source;
    private ActiveStream stream;
    private ReadDisable reads;

    Http2StreamManager(ProxyRuntime runtime, String fixedAuthority, String source) {
        this.runtime = runtime;
        this.fixedAuthority = fixedAuthority;
        this.source = source;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        reads = new ReadDisable(ctx.channel());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Http2HeadersFrame headers) {
            if (stream == null) {
                start(ctx, headers);
            } else if (!stream.done() || !stream.responseStarted()) {
                stream.onRequestData(Unpooled.EMPTY_BUFFER, true, new NettyHeaders(plain(headers.headers())));
            }
        } else if (msg instanceof Http2DataFrame data) {
            if (stream != null) {
                stream.onRequestData(data.content(), data.isEndStream(), null);
            } else {
                data.release();
            }
        } else if (msg instanceof Http2ResetFrame) {
            if (stream != null) stream.onDownstreamClosed();
            ctx.close();
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    private void start(ChannelHandlerContext ctx, Http2HeadersFrame frame) {
        Http2Headers h = frame.headers();
        HttpHeaders headers = plain(h);
        int id = ((Http2StreamChannel) ctx.channel()).stream().id();
        Http2ResponseEncoder encoder = new Http2ResponseEncoder(ctx.channel(), reads);
        String method = str(h.method());
        String path = str(h.path());
        RequestHead request;
        try {
            if (method == null || path == null) throw new IllegalArgumentException("missing :method or :path");
            CharSequence authority = h.authority() != null ? h.authority() : headers.get(HttpHeaderNames.HOST);
            // The upstream speaks HTTP/1.1: a body of unknown length goes there chunked.
            if (!frame.isEndStream() && !headers.contains(HttpHeaderNames.CONTENT_LENGTH)) {
                headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
            }
            request = RequestHead.parse(method, path, str(authority), new NettyHeaders(headers), source, fixedAuthority);
        } catch (IllegalArgumentException e) {
            RequestHead none = RequestHead.parse("-", "-", "-", NettyHeaders.empty(), source, null);
            none.protocol(RequestHead.HTTP_2, id);
            stream = new ActiveStream(this, encoder, runtime, ctx.channel().eventLoop(), none);
            stream.reject(LocalReply.text(400, "bad request"), ResponseFlag.DPE);
            return;
        }
        request.protocol(RequestHead.HTTP_2, id);
        stream = new ActiveStream(this, encoder, runtime, ctx.channel().eventLoop(), request);
        stream.start();
        if (frame.isEndStream()) stream.onRequestData(Unpooled.EMPTY_BUFFER, true, null);
    }

    /** The regular headers of a HEADERS frame, as HTTP/1 names them; pseudo-headers are the head's. */
    static HttpHeaders plain(Http2Headers h) {
        HttpHeaders out = new DefaultHttpHeaders();
        for (Map.Entry<CharSequence, CharSequence> e : h) {
            CharSequence name = e.getKey();
            if (name.length() > 0 && name.charAt(0) == ':') continue;
            out.add(name, e.getValue());
        }
        return out;
    }

    private static String str(CharSequence s) {
        return s == null ? null : s.toString();
    }

    @Override
    public void streamDone(ActiveStream done) {
        // The child channel closes itself once both sides of the stream ended.
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (stream != null) stream.onDownstreamReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (stream != null) stream.onDownstreamWritabilityChanged(ctx.channel().isWritable());
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (stream != null) stream.onDownstreamClosed();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A stream error: closing the child resets this stream only (RST_STREAM), never the connection.
        ctx.close();
    }
}
