package dev.meshunit.dataplane;

import static dev.meshunit.testing.Journals.awaitExchange;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.meshunit.MeshProxy;
import dev.meshunit.VirtualTime;
import dev.meshunit.journal.Attempt;
import dev.meshunit.journal.Exchange;
import dev.meshunit.journal.ResponseFlag;
import dev.meshunit.testing.Async;
import dev.meshunit.testing.OneService;
import dev.meshunit.testing.RawHttp;
import dev.meshunit.testing.RawUpstream;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The proxy's own timers on virtual time: nothing fires until the test advances, and the journal records the
 * exact virtual instants and durations, however busy the machine is.
 */
class VirtualTimeTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void aFaultDelayWaitsForTheTestToAdvanceTime() throws Exception {
        VirtualTime time = VirtualTime.startingAt(T0);
        try (RawUpstream up = RawUpstream.answering(r -> RawUpstream.ok("ok"));
             MeshProxy proxy = MeshProxy.builder().virtualTime(time)
                     .config(OneService.config(up.port(), "fault: {delay: {fixedDelay: 5s, percentage: {value: 100}}}"))
                     .start()) {
            CompletableFuture<RawHttp.Response> answer = CompletableFuture.supplyAsync(
                    () -> RawHttp.get(proxy.port(), OneService.AUTHORITY, "/d"), Async.THREAD_PER_TASK);
            time.awaitTimers(1, WAIT);
            assertThat(time.nextTimerIn()).isEqualTo(Duration.ofSeconds(5));
            time.advance(Duration.ofMillis(4999));
            assertThat(answer).isNotDone();
            assertThat(up.requests()).isEmpty();
            time.advance(Duration.ofMillis(1));
            assertThat(answer.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
            Exchange e = awaitExchange(proxy, "/d");
            assertThat(e.flags()).containsExactly(ResponseFlag.DI);
            assertThat(e.start()).isEqualTo(T0);
            assertThat(e.durationMs()).isEqualTo(5000.0);
        }
    }

    @Test
    void theRouteTimeoutFiresExactlyAtItsDeadline() throws Exception {
        VirtualTime time = VirtualTime.startingAt(T0);
        try (RawUpstream up = silent();
             MeshProxy proxy = MeshProxy.builder().virtualTime(time)
                     .config(OneService.config(up.port(), "timeout: 1500ms")).start()) {
            CompletableFuture<RawHttp.Response> answer = CompletableFuture.supplyAsync(
                    () -> RawHttp.get(proxy.port(), OneService.AUTHORITY, "/t"), Async.THREAD_PER_TASK);
            // Once the request is upstream, the connect timeout is cancelled: the route timeout is the only timer.
            await().atMost(WAIT).until(() -> up.requests().size() == 1 && time.pendingTimers() == 1);
            assertThat(time.nextTimerIn()).isEqualTo(Duration.ofMillis(1500));
            time.advance(Duration.ofMillis(1499));
            assertThat(answer).isNotDone();
            time.advance(Duration.ofMillis(1));
            RawHttp.Response r = answer.get(10, TimeUnit.SECONDS);
            assertThat(r.status()).isEqualTo(504);
            assertThat(r.body()).isEqualTo("upstream request timeout");
            Exchange e = awaitExchange(proxy, "/t");
            assertThat(e.flags()).containsExactly(ResponseFlag.UT);
            assertThat(e.durationMs()).isEqualTo(1500.0);
            assertThat(e.attempts()).extracting(Attempt::durationMs).containsExactly(1500.0);
        }
    }

    @Test
    void retryBackOffSpacingIsExactAndWithinEnvoysBounds() throws Exception {
        VirtualTime time = VirtualTime.startingAt(T0);
        AtomicInteger n = new AtomicInteger();
        try (RawUpstream up = RawUpstream.answering(r -> n.incrementAndGet() <= 3
                     ? "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n" : RawUpstream.ok("ok"));
             MeshProxy proxy = MeshProxy.builder().virtualTime(time).seed(7)
                     .config(OneService.config(up.port(), "retries: {attempts: 3, retryOn: 5xx}")).start()) {
            CompletableFuture<RawHttp.Response> answer = CompletableFuture.supplyAsync(
                    () -> RawHttp.get(proxy.port(), OneService.AUTHORITY, "/r"), Async.THREAD_PER_TASK);
            long total = 0;
            for (int retry = 1; retry <= 3; retry++) {
                int answered = retry;
                // The back-off timer is set once the 503 is in (the connect timer went with the connection).
                await().atMost(WAIT).until(() -> n.get() >= answered && time.pendingTimers() == 1);
                Duration wait = time.nextTimerIn();
                // Envoy's back-off: retry N waits a uniform time in [0, (2^N - 1) x 25 ms), capped at 250 ms.
                assertThat(wait.toMillis()).as("back-off before retry %d", retry)
                        .isBetween(0L, Math.min(250L, ((1L << retry) - 1) * 25 - 1));
                total += wait.toMillis();
                time.advance(wait);
            }
            assertThat(answer.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
            Exchange e = awaitExchange(proxy, "/r");
            assertThat(e.attempts()).extracting(Attempt::status).containsExactly(503, 503, 503, 200);
            assertThat(e.durationMs()).isEqualTo((double) total);
            assertThat(time.elapsed()).isEqualTo(Duration.ofMillis(total));
        }
    }

    /** Reads each request and never answers, keeping the connection until the proxy closes it. */
    private static RawUpstream silent() {
        return RawUpstream.start(c -> {
            c.read();
            c.awaitPeerClose();
        });
    }

    @Test
    void timeNeverGoesBackAndTimersOfAClosedProxyAreDropped() {
        VirtualTime time = VirtualTime.startingAt(T0);
        assertThatThrownBy(() -> time.advance(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
        try (RawUpstream up = silent();
             MeshProxy proxy = MeshProxy.builder().virtualTime(time)
                     .config(OneService.config(up.port(), "timeout: 1s")).start()) {
            CompletableFuture.runAsync(() -> RawHttp.get(proxy.port(), OneService.AUTHORITY, "/x"),
                    Async.THREAD_PER_TASK);
            time.awaitTimers(1, WAIT);
        }
        assertThat(time.pendingTimers()).isZero();
        assertThat(time.advance(Duration.ofSeconds(1)).now()).isEqualTo(T0.plusSeconds(1));
    }
}
