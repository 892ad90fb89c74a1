package dev.meshunit.internal.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SniCompletionEvent;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.Test;

/** The inspector alone, on an EmbeddedChannel with frozen time: what it reports, what it passes on, when it gives up. */
class SniInspectorTest {
    /** Records the inspector's verdict and the bytes it hands on. */
    static final class Sink extends ChannelInboundHandlerAdapter {
        final List<SniCompletionEvent> events = new ArrayList<>();
        final ByteBuf received = Unpooled.buffer();

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof SniCompletionEvent e) events.add(e);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf b = (ByteBuf) msg;
            received.writeBytes(b);
            b.release();
        }
    }

    static byte[] clientHello(String sni) throws Exception {
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, null, null);
        SSLEngine engine = tls.createSSLEngine(sni, 443);
        engine.setUseClientMode(true);
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.wrap(ByteBuffer.allocate(0), out);
        out.flip();
        byte[] b = new byte[out.remaining()];
        out.get(b);
        return b;
    }

    @Test
    void aClientHelloFedOneByteAtATimeGivesItsSniAndPassesOnEveryByte() throws Exception {
        byte[] hello = clientHello("db.example.com");
        Sink sink = new Sink();
        EmbeddedChannel ch = new EmbeddedChannel(new SniInspector(15_000), sink);
        for (byte b : hello) {
            assertThat(sink.events).isEmpty();
            ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
        }
        assertThat(sink.events).singleElement().satisfies(e -> assertThat(e.hostname()).isEqualTo("db.example.com"));
        assertThat(ch.pipeline().get(SniInspector.class)).as("steps aside once it knows").isNull();
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {1, 2, 3}));
        byte[] all = new byte[sink.received.readableBytes()];
        sink.received.readBytes(all);
        byte[] expected = java.util.Arrays.copyOf(hello, hello.length + 3);
        expected[hello.length] = 1;
        expected[hello.length + 1] = 2;
        expected[hello.length + 2] = 3;
        assertThat(all).isEqualTo(expected);
        sink.received.release();
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void plainTextGivesNoSniAndIsPassedOnUnchanged() {
        Sink sink = new Sink();
        EmbeddedChannel ch = new EmbeddedChannel(new SniInspector(15_000), sink);
        ch.writeInbound(Unpooled.copiedBuffer("PING\r\n", java.nio.charset.StandardCharsets.US_ASCII));
        assertThat(sink.events).singleElement().satisfies(e -> {
            assertThat(e.hostname()).isNull();
            assertThat(e.cause()).isNull();
        });
        assertThat(sink.received.toString(java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("PING\r\n");
        sink.received.release();
        ch.finishAndReleaseAll();
    }

    @Test
    void givesUpExactlyAtTheTimeoutOnTheChannelsClock() {
        Sink sink = new Sink();
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.freezeTime();
        ch.pipeline().addLast(new SniInspector(2_000), sink);
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {0x16, 0x03}));
        ch.advanceTimeBy(1_999, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(sink.events).isEmpty();
        assertThat(ch.isOpen()).isTrue();
        ch.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(sink.events).singleElement().satisfies(e -> assertThat(e.cause()).isInstanceOf(SslHandshakeTimeoutException.class));
        assertThat(ch.isOpen()).isFalse();
        sink.received.release();
        ch.finishAndReleaseAll();
    }
}
