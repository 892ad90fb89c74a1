package dev.meshunit.dataplane;

import static dev.meshunit.testing.Sockets.connect;
import static dev.meshunit.testing.Sockets.readAll;
import static dev.meshunit.testing.Sockets.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshunit.MeshProxy;
import dev.meshunit.testing.LeakWatch;
import dev.meshunit.testing.NoLeaks;
import dev.meshunit.testing.OneService;
import dev.meshunit.testing.RawHttp;
import dev.meshunit.testing.RawUpstream;
import dev.meshunit.testing.Threads;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.io.File;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * A proxy gives back every thread, file descriptor and connection it took, and leak reports fail the build.
 * Isolated, because threads and descriptors are counted for the whole process.
 */
@Isolated
@ExtendWith(NoLeaks.class)
class HygieneTest {
    private static final long SEED = 0x5eed;
    private static final String THREAD_PREFIX = "meshunit-" + Long.toHexString(SEED);

    @Test
    void startingAndClosingTwentyProxiesLeavesNoThreadsOrDescriptors() {
        try (RawUpstream up = RawUpstream.answering(r -> RawUpstream.ok("fine"))) {
            startUseAndClose(up); // loads classes and any process-wide Netty state before counting
            Set<Thread> before = Threads.snapshot();
            int fdsBefore = openDescriptors();
            for (int i = 0; i < 20; i++) startUseAndClose(up);
            // Polled on this thread: an Awaitility thread would itself be a thread that was not there before.
            await().pollInSameThread().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(Threads.newSince(before)).isEmpty();
                assertThat(openDescriptors()).isLessThanOrEqualTo(fdsBefore);
            });
        }
    }

    private static void startUseAndClose(RawUpstream up) {
        try (MeshProxy proxy = MeshProxy.builder().seed(SEED).listenerPerService(true)
                .config(OneService.config(up.port())).start()) {
            assertThat(RawHttp.get(proxy.port(), OneService.AUTHORITY, "/").status()).isEqualTo(200);
            assertThat(Thread.getAllStackTraces().keySet()).anyMatch(t -> t.getName().startsWith(THREAD_PREFIX));
        }
    }

    private static int openDescriptors() {
        return Objects.requireNonNull(new File("/proc/self/fd").list(), "/proc/self/fd").length;
    }

    @Test
    void closingAProxyClosesItsConnectionsBothWays() throws IOException {
        try (RawUpstream up = RawUpstream.start(c -> {
                 RawUpstream.Request r;
                 while ((r = c.read()) != null) {
                     if (r.target().equals("/hang")) {
                         c.awaitPeerClose();
                         return;
                     }
                     c.write(RawUpstream.ok("fine"));
                 }
             })) {
            MeshProxy proxy = MeshProxy.builder().config(OneService.config(up.port())).start();
            try (Socket keptAlive = connect(proxy); Socket waiting = connect(proxy)) {
                write(keptAlive, "GET /ok HTTP/1.1\r\nHost: svc:8080\r\n\r\n");
                write(waiting, "GET /hang HTTP/1.1\r\nHost: svc:8080\r\n\r\n");
                await().atMost(Duration.ofSeconds(5)).until(() -> up.requests().size() == 2);
                proxy.close();
                assertThat(readAll(keptAlive)).startsWith("HTTP/1.1 200 ").endsWith("fine");
                assertThat(readAll(waiting)).isEmpty();
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> up.openConnections() == 0);
            assertThat(up.connections()).isEqualTo(2);
        }
    }

    @Test
    void theLeakWatchSeesALeakedBuffer() {
        assertThat(LeakWatch.watchesBuffers()).isTrue();
        leakOneBuffer();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
            LeakWatch.triggerReports();
            return LeakWatch.deliberateLeaksReported() > 0;
        });
    }

    private static void leakOneBuffer() {
        ByteBuf leaked = PooledByteBufAllocator.DEFAULT.buffer(16);
        leaked.writeInt(42);
        leaked.touch(LeakWatch.DELIBERATE);
    }
}
