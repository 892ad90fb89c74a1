package dev.meshunit.internal.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.meshunit.MeshProxy;
import dev.meshunit.testing.OneService;
import dev.meshunit.testing.RawHttp;
import dev.meshunit.testing.TestBackend;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.io.IOException;
import java.lang.reflect.Field;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** A fatal error (out of memory, a dead event loop) stops the proxy: it closes, says why, and tells its listeners. */
class FatalErrorsTest {

    static FatalErrors of(MeshProxy proxy) throws ReflectiveOperationException {
        Field server = MeshProxy.class.getDeclaredField("server");
        server.setAccessible(true);
        return ((ProxyServer) server.get(proxy)).fatalErrors();
    }

    @Test
    void anOutOfMemoryErrorOnAConnectionIsReportedAndPassedOn() {
        FatalErrors fatal = new FatalErrors();
        List<Throwable> passedOn = new CopyOnWriteArrayList<>();
        EmbeddedChannel ch = new EmbeddedChannel(fatal.sentinel(), new io.netty.channel.ChannelInboundHandlerAdapter() {
            @Override
            public void exceptionCaught(io.netty.channel.ChannelHandlerContext ctx, Throwable cause) {
                passedOn.add(cause);
            }
        });
        ch.pipeline().fireExceptionCaught(new IOException("reset by peer"));
        assertThat(fatal.first()).isNull();
        OutOfMemoryError oom = new OutOfMemoryError("Java heap space");
        ch.pipeline().fireExceptionCaught(new DecoderException(oom));
        assertThat(fatal.first()).isInstanceOf(DecoderException.class).hasCause(oom);
        assertThat(passedOn).hasSize(2);
        ch.finishAndReleaseAll();
    }

    @Test
    void anEventLoopThreadThatDiesIsReported() throws Exception {
        FatalErrors fatal = new FatalErrors();
        Thread t = fatal.threadFactory("meshunit-test-loop").newThread(() -> {
            throw new IllegalStateException("loop died");
        });
        t.start();
        t.join(10_000);
        assertThat(fatal.first()).hasMessage("loop died");
    }

    @Test
    void theProxyClosesItselfAndTellsItsListenersOnce() throws Exception {
        try (TestBackend b = TestBackend.named("b");
             MeshProxy proxy = MeshProxy.builder().config(OneService.config(b.port())).start()) {
            assertThat(RawHttp.get(proxy.port(), OneService.AUTHORITY, "/").status()).isEqualTo(200);
            List<Throwable> told = new CopyOnWriteArrayList<>();
            proxy.onFatalError(told::add);
            OutOfMemoryError oom = new OutOfMemoryError("forced by the test");
            of(proxy).report(oom);
            of(proxy).report(new OutOfMemoryError("a second one"));
            assertThat(proxy.fatalError()).isSameAs(oom);
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThatThrownBy(
                    () -> new Socket("127.0.0.1", proxy.port()).close()).isInstanceOf(IOException.class));
            assertThat(told).containsExactly(oom);
            List<Throwable> late = new CopyOnWriteArrayList<>();
            proxy.onFatalError(late::add);
            assertThat(late).containsExactly(oom);
        }
    }
}
