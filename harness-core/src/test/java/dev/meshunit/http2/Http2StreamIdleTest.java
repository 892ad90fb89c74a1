package dev.meshunit.http2;

import static dev.meshunit.testing.Journals.awaitExchange;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshunit.MeshProxy;
import dev.meshunit.VirtualTime;
import dev.meshunit.downstream.DownstreamLimits;
import dev.meshunit.journal.Exchange;
import dev.meshunit.journal.ResponseFlag;
import dev.meshunit.testing.Async;
import dev.meshunit.testing.NoLeaks;
import dev.meshunit.testing.OneService;
import dev.meshunit.testing.RawUpstream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The stream idle timeout of concurrent HTTP/2 streams on one connection, which share their event loop's one
 * timer: each stream is answered at its own exact deadline.
 */
@ExtendWith(NoLeaks.class)
class Http2StreamIdleTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void concurrentStreamsOnOneConnectionEachTimeOutAtTheirOwnDeadline() throws Exception {
        VirtualTime time = VirtualTime.create();
        try (RawUpstream up = RawUpstream.start(c -> {
                 c.readHead();
                 c.awaitPeerClose();
             });
             MeshProxy proxy = MeshProxy.builder().virtualTime(time).config(OneService.config(up.port()))
                     .downstreamLimits(DownstreamLimits.DEFAULT.withStreamIdleTimeout(Duration.ofSeconds(30))).start();
             H2Clients h2 = new H2Clients(proxy.port())) {
            CompletableFuture<H2Clients.Answer> first = CompletableFuture.supplyAsync(
                    () -> h2.get(OneService.AUTHORITY, "/first"), Async.THREAD_PER_TASK);
            await().atMost(WAIT).until(() -> up.requests().size() == 1); // forwarded: its deadline is set, at 30 s
            time.advance(Duration.ofSeconds(10));
            CompletableFuture<H2Clients.Answer> second = CompletableFuture.supplyAsync(
                    () -> h2.get(OneService.AUTHORITY, "/second"), Async.THREAD_PER_TASK);
            await().atMost(WAIT).until(() -> up.requests().size() == 2); // at 40 s
            time.advance(Duration.ofMillis(19_999));
            assertThat(first).isNotDone();
            time.advance(Duration.ofMillis(1));
            H2Clients.Answer a = first.get(10, TimeUnit.SECONDS);
            assertThat(a.status()).isEqualTo(504);
            assertThat(a.body()).isEqualTo("stream timeout");
            time.advance(Duration.ofMillis(9_999));
            assertThat(second).isNotDone();
            time.advance(Duration.ofMillis(1));
            assertThat(second.get(10, TimeUnit.SECONDS).status()).isEqualTo(504);
            assertThat(h2.client.connectionPool().connectionCount()).as("both streams on one connection").isOne();
            for (String path : new String[] {"/first", "/second"}) {
                Exchange e = awaitExchange(proxy, path);
                assertThat(e.protocol()).isEqualTo("HTTP/2");
                assertThat(e.flags()).containsExactly(ResponseFlag.SI);
                assertThat(e.durationMs()).isEqualTo(30_000.0);
            }
            assertThat(proxy.downstreamStats().rqIdleTimeout()).isEqualTo(2);
        }
    }
}
