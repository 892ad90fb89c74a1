package dev.meshunit.internal.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;

/**
 * Loads and first runs what every proxy start needs from Netty (the native transport's library, the buffer
 * allocator, the HTTP/1.1 codecs) on a thread of its own, while the command's main thread reads and validates
 * the config: a command-line start-up on two cores then pays for the two side by side, not one after the other
 * (as Spring Boot's background pre-initializer does). Best effort: a failure here only means the main thread
 * does the same work later, and reports whatever is really wrong then.
 */
public final class NettyWarmUp {
    private static final byte[] REQUEST = "GET /warm-up HTTP/1.1\r\nHost: warm-up\r\nContent-Length: 0\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RESPONSE = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
            .getBytes(StandardCharsets.US_ASCII);

    private NettyWarmUp() {}

    /** Starts the warm-up on a daemon thread; returns at once. */
    public static Thread inBackground() {
        Thread t = new Thread(NettyWarmUp::run, "meshunit-warm-up");
        t.setDaemon(true);
        t.start();
        return t;
    }

    static void run() {
        try {
            Transport.choose();
            ByteBuf b = ByteBufAllocator.DEFAULT.directBuffer(256);
            b.release();
            EmbeddedChannel server = new EmbeddedChannel(new HttpServerCodec());
            try { // a request in, then its answer out, as a downstream connection sees them
                server.writeInbound(Unpooled.wrappedBuffer(REQUEST));
                server.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
            } finally {
                drain(server);
            }
            EmbeddedChannel client = new EmbeddedChannel(new HttpClientCodec());
            try { // and the other way round upstream
                client.writeOutbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/warm-up"));
                client.writeInbound(Unpooled.wrappedBuffer(RESPONSE));
            } finally {
                drain(client);
            }
        } catch (RuntimeException | LinkageError e) {
            // nothing to do: the proxy's own start meets the same problem and reports it
        }
    }

    private static void drain(EmbeddedChannel ch) {
        for (Object o; (o = ch.readOutbound()) != null; ) ReferenceCountUtil.release(o);
        for (Object o; (o = ch.readInbound()) != null; ) ReferenceCountUtil.release(o);
        ch.finishAndReleaseAll();
    }
}
