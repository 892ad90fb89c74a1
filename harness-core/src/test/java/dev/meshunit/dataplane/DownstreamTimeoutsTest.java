package dev.meshunit.dataplane;

import static dev.meshunit.testing.Journals.awaitExchange;
import static dev.meshunit.testing.Sockets.connect;
import static dev.meshunit.testing.Sockets.readAll;
import static dev.meshunit.testing.Sockets.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshunit.MeshProxy;
import dev.meshunit.VirtualTime;
import dev.meshunit.downstream.DownstreamLimits;
import dev.meshunit.downstream.DownstreamStats;
import dev.meshunit.journal.Exchange;
import dev.meshunit.journal.ResponseFlag;
import dev.meshunit.testing.Async;
import dev.meshunit.testing.LoopBarrier;
import dev.meshunit.testing.NoLeaks;
import dev.meshunit.testing.OneService;
import dev.meshunit.testing.RawHttp;
import dev.meshunit.testing.RawUpstream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 12, finding 3: Envoy's downstream timeouts on virtual time, at their exact deadlines. Before them a
 * slowloris head, a silent upstream on a route without timeout and an idle keep-alive connection were kept forever.
 */
@ExtendWith(NoLeaks.class)
class DownstreamTimeoutsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void aSlowlorisHeadIsAnswered408AtTheRequestHeadersTimeoutEvenWhileItTrickles() throws Exception {
        VirtualTime time = VirtualTime.startingAt(T0);
        try (RawUpstream up = RawUpstream.answering(r -> RawUpstream.ok("fine"));
             MeshProxy proxy = MeshProxy.builder().virtualTime(time).config(OneService.config(up.port())).start();
             Socket slow = connect(proxy)) {
            write(slow, "GET /slow HTTP/1.1\r\nHost: svc:8080\r\nx-a");
            // The first byte replaced the connection's idle timer (1 h) with the head's (60 s).
            await().atMost(WAIT).until(() -> Duration.ofSeconds(60).equals(time.nextGuardTimerIn()));
            time.advance(Duration.ofSeconds(30));
            write(slow, "bc: d\r\nx-more"); // bytes keep coming: the head's deadline does not move
            time.advance(Duration.ofMillis(29_999));
            assertNothingYet(slow);
            time.advance(Duration.ofMillis(1));
            String answer = readAll(slow);
            assertThat(answer).startsWith("HTTP/1.1 408 ").containsIgnoringCase("connection: close")
                    .endsWith("request header timeout");
            await().atMost(WAIT).until(() -> proxy.journal().recorded() == 1);
            Exchange e = proxy.journal().exchanges().get(0);
            assertThat(e.status()).isEqualTo(408);
            assertThat(e.flags()).as("Envoy sets no flag for request_header_timeout").isEmpty();
            assertThat(e.durationMs()).isZero();
            assertThat(proxy.downstreamStats().rqHeaderTimeout()).isEqualTo(1);
            assertThat(up.requests()).isEmpty();
        }
    }

    @Test
    void aFourKibRequestLineWithoutItsLineFeedNoLongerWaitsForever() throws Exception {
        VirtualTime time = VirtualTime.startingAt(T0);
        try (RawUpstream up = RawUpstream.answering(r -> RawUpstream.ok("fine"));
             MeshProxy proxy = MeshProxy.builder().virtualTime(time).config(OneService.config(up.port())).start();
             Socket slow = connect(proxy)) {
            write(slow, "GET /" + "l".repeat(4096));
            await().atMost(WAIT).until(() -> Duration.ofSeconds(60).equals(time.nextGuardTimerIn()));
            time.advance(Duration.ofSeconds(60));
            assertThat(readAll(slow)).startsWith("HTTP/1.1 408 ");
            assertThat(proxy.downstreamStats().rqHeaderTimeout()).isEqualTo(1);
        }
    }

    @Test
    void istioSidecarSettingsKeepASlowHeadAsTheSidecarDoes() throws Exception {
        VirtualTime time = VirtualTime.startingAt(T0);
        try (RawUpstream up = RawUpstream.answering(r -> RawUpstream.ok("fine"));
             MeshProxy proxy = MeshProxy.builder().virtualTime(time).config(OneService.config(up.port()))
                     .downstreamLimits(DownstreamLimits.ISTIO_SIDECAR).start();
             Socket slow = connect(proxy)) {
            await().atMost(WAIT).until(() -> time.pendingGuardTimers() == 1); // the connection's idle timer
            // A request and the start of a slow head in one write, which the proxy reads at once: once the
            // first is answered, the slow head is under way (its first byte disarmed the idle timer).
            write(slow, "GET /first HTTP/1.1\r\nHost: svc:8080\r\n\r\nGET /slow HTTP/1.1\r\nHost: svc:8080\r\n");
            assertThat(readHead(slow)).startsWith("HTTP/1.1 200 ");
            assertThat(slow.getInputStream().readNBytes(4)).asString().isEqualTo("fine");
            time.advance(Duration.ofHours(2)); // the idle timer falls due at 1 h and finds the head under way
            assertThat(time.pendingGuardTimers()).as("nothing was set again").isZero();
            assertNothingYet(slow);
            write(slow, "\r\n");
            assertThat(readHead(slow)).startsWith("HTTP/1.1 200 ");
            assertThat(proxy.downstreamStats().cxIdleTimeout()).isZero();
            assertThat(proxy.downstreamStats().rqHeaderTimeout()).isZero();
        }
    }

    @Test
    void aSilentUpstreamOnARouteWithoutTimeoutGets504StreamTimeoutSIAfterFiveMinutes() throws Exception {
        VirtualTime time = VirtualTime.startingAt(T0);
        try (RawUpstream up = silent();
             MeshProxy proxy = MeshProxy.builder().virtualTime(time).config(OneService.config(up.port())).start()) {
            CompletableFuture<RawHttp.Response> answer = CompletableFuture.supplyAsync(
                    () -> RawHttp.get(proxy.port(), OneService.AUTHORITY, "/silent"), Async.THREAD_PER_TASK);
            // Forwarded, so its stream idle deadline is set; the connect timeout is cancelled.
            await().atMost(WAIT).until(() -> up.requests().size() == 1 && time.pendingTimers() == 0);
            time.advance(Duration.ofMinutes(5).minusMillis(1));
            assertThat(answer).isNotDone();
            // The head's timer fell due at 60 s disarmed and did nothing; the stream's is next.
            assertThat(time.nextGuardTimerIn()).isEqualTo(Duration.ofMillis(1));
            time.advance(Duration.ofMillis(1));
            RawHttp.Response r = answer.get(10, TimeUnit.SECONDS);
            assertThat(r.status()).isEqualTo(504);
            assertThat(r.body()).isEqualTo("stream timeout");
            Exchange e = awaitExchange(proxy, "/silent");
            assertThat(e.flags()).containsExactly(ResponseFlag.SI);
            assertThat(e.durationMs()).isEqualTo(300_000.0);
            assertThat(proxy.downstreamStats().rqIdleTimeout()).isEqualTo(1);
            await().atMost(WAIT).until(() -> up.closedByPeer() == 1);
        }
    }

    @Test
    void activityMovesTheStreamIdleDeadlineAndAnAnswerUnderWayIsReset() throws Exception {
        VirtualTime time = VirtualTime.startingAt(T0);
        try (RawUpstream up = RawUpstream.start(c -> {
                 c.read();
                 c.write("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n01234");
                 c.awaitPeerClose();
             });
             MeshProxy proxy = MeshProxy.builder().virtualTime(time).config(OneService.config(up.port()))
                     .downstreamLimits(DownstreamLimits.DEFAULT.withStreamIdleTimeout(Duration.ofSeconds(30))).start();
             Socket client = connect(proxy)) {
            time.advance(Duration.ofSeconds(20)); // before the request: the stream's timer starts with it
            write(client, "GET /half HTTP/1.1\r\nHost: svc:8080\r\n\r\n");
            assertThat(readHead(client)).startsWith("HTTP/1.1 200 ");
            await().atMost(WAIT).until(() -> Duration.ofSeconds(30).equals(time.nextGuardTimerIn()));
            time.advance(Duration.ofMillis(29_999));
            assertThat(proxy.journal().recorded()).isZero();
            time.advance(Duration.ofMillis(1));
            client.setSoTimeout(10_000);
            assertThat(new String(client.getInputStream().readAllBytes())).as("the body so far, then the close").isEqualTo("01234");
            Exchange e = awaitExchange(proxy, "/half");
            assertThat(e.status()).isEqualTo(200);
            assertThat(e.flags()).contains(ResponseFlag.SI);
            assertThat(e.durationMs()).isEqualTo(30_000.0);
        }
    }

    @Test
    void aRequestStillComingWhenTheStreamGoesIdleIsAnswered408() throws Exception {
        VirtualTime time = VirtualTime.startingAt(T0);
        try (RawUpstream up = silent();
             MeshProxy proxy = MeshProxy.builder().virtualTime(time).config(OneService.config(up.port())).start();
             Socket client = connect(proxy)) {
            write(client, "POST /upload HTTP/1.1\r\nHost: svc:8080\r\nContent-Length: 10\r\n\r\n01234");
            // Connected upstream (the connect timeout cancelled): the stream's idle deadline is set.
            await().atMost(WAIT).until(() -> up.connections() == 1 && time.pendingTimers() == 0);
            time.advance(Duration.ofMinutes(5).minusMillis(1));
            assertNothingYet(client);
            assertThat(time.nextGuardTimerIn()).isEqualTo(Duration.ofMillis(1));
            time.advance(Duration.ofMillis(1));
            assertThat(readHead(client)).startsWith("HTTP/1.1 408 ");
            Exchange e = awaitExchange(proxy, "/upload");
            assertThat(e.status()).isEqualTo(408);
            assertThat(e.flags()).containsExactly(ResponseFlag.SI);
        }
    }

    @Test
    void anIdleKeepAliveConnectionIsClosedAfterAnHourAsEnvoyDoes() throws Exception {
        VirtualTime time = VirtualTime.startingAt(T0);
        try (RawUpstream up = RawUpstream.answering(r -> RawUpstream.ok("fine"));
             MeshProxy proxy = MeshProxy.builder().virtualTime(time).config(OneService.config(up.port())).ioThreads(1).start();
             Socket client = connect(proxy)) {
            write(client, "GET /once HTTP/1.1\r\nHost: svc:8080\r\n\r\n");
            assertThat(readHead(client)).startsWith("HTTP/1.1 200 ");
            client.getInputStream().readNBytes(4); // "fine"
            LoopBarrier.pass(proxy); // the stream ended, re-arming the idle timer without scheduling
            time.advance(Duration.ofHours(1).minusMillis(1));
            assertNothingYet(client);
            // The head's and the stream's timers fell due disarmed and set nothing again; the idle timer is left.
            assertThat(time.pendingGuardTimers()).isOne();
            assertThat(time.nextGuardTimerIn()).isEqualTo(Duration.ofMillis(1));
            time.advance(Duration.ofMillis(1));
            client.setSoTimeout(10_000);
            assertThat(client.getInputStream().read()).as("closed, without an answer").isEqualTo(-1);
            DownstreamStats stats = proxy.downstreamStats();
            assertThat(stats.cxIdleTimeout()).isEqualTo(1);
            assertThat(proxy.journal().recorded()).isEqualTo(1);
            await().atMost(WAIT).until(() -> proxy.downstreamStats().cxActive() == 0);
        }
    }

    @Test
    void aConnectionThatNeverSendsAByteIsClosedByTheIdleTimeout() throws Exception {
        VirtualTime time = VirtualTime.startingAt(T0);
        try (RawUpstream up = RawUpstream.answering(r -> RawUpstream.ok("fine"));
             MeshProxy proxy = MeshProxy.builder().virtualTime(time).config(OneService.config(up.port()))
                     .downstreamLimits(DownstreamLimits.DEFAULT.withIdleTimeout(Duration.ofSeconds(90))).start();
             Socket client = connect(proxy)) {
            await().atMost(WAIT).until(() -> Duration.ofSeconds(90).equals(time.nextGuardTimerIn()));
            time.advance(Duration.ofSeconds(90));
            client.setSoTimeout(10_000);
            assertThat(client.getInputStream().read()).isEqualTo(-1);
            assertThat(proxy.downstreamStats().cxIdleTimeout()).isEqualTo(1);
        }
    }

    /** Nothing to read yet: the proxy neither answered nor closed. */
    private static void assertNothingYet(Socket s) throws IOException {
        int before = s.getSoTimeout();
        s.setSoTimeout(200);
        try {
            int b = s.getInputStream().read();
            throw new AssertionError("expected nothing yet, got " + (b < 0 ? "the end of the stream" : "byte " + b));
        } catch (SocketTimeoutException expected) {
            // still open, still silent
        } finally {
            s.setSoTimeout(before);
        }
    }

    private static String readHead(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        StringBuilder head = new StringBuilder();
        int c;
        while (!head.toString().endsWith("\r\n\r\n") && (c = in.read()) >= 0) head.append((char) c);
        return head.toString();
    }

    /** Reads each request and never answers, keeping the connection until the proxy closes it. */
    private static RawUpstream silent() {
        return RawUpstream.start(c -> {
            c.readHead();
            c.awaitPeerClose();
        });
    }
}
