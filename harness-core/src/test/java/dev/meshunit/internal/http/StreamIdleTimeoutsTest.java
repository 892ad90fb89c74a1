package dev.meshunit.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshunit.VirtualSchedulers;
import dev.meshunit.VirtualTime;
import dev.meshunit.internal.time.CountingScheduler;
import dev.meshunit.journal.ResponseFlag;
import dev.meshunit.testing.OneService;
import io.netty.buffer.Unpooled;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** One event loop's stream idle timeouts behind one timer: each stream still times out at its own exact deadline. */
class StreamIdleTimeoutsTest {
    private final VirtualTime time = VirtualTime.create();
    private final DownstreamCounters counters = new DownstreamCounters();
    private final CountingScheduler scheduler = new CountingScheduler(VirtualSchedulers.of(time));
    private final StreamIdleTimeouts timeouts = new StreamIdleTimeouts(scheduler, Runnable::run, Duration.ofSeconds(30));

    private record Started(FakeStream stream, StreamIdleFilter filter) {}

    private Started start() {
        FakeStream stream = new FakeStream(OneService.config(1), "GET", "/a", "host", "svc:8080");
        StreamIdleFilter filter = new StreamIdleFilter(stream, timeouts, counters);
        filter.decodeHeaders(stream.request());
        return new Started(stream, filter);
    }

    @Test
    void concurrentStreamsEachTimeOutAtTheirOwnDeadline() {
        Started a = start();
        time.advance(Duration.ofSeconds(10));
        Started b = start();
        time.advance(Duration.ofSeconds(10));
        a.filter().decodeData(Unpooled.EMPTY_BUFFER, false); // a's deadline moves to 50 s, after b's at 40 s
        assertThat(time.pendingGuardTimers()).as("one timer for both streams").isOne();
        time.advance(Duration.ofMillis(19_999));
        assertThat(a.stream().localReplies).isEmpty();
        assertThat(b.stream().localReplies).isEmpty();
        time.advance(Duration.ofMillis(1));
        assertThat(b.stream().localReplies).extracting(LocalReply::status).containsExactly(408);
        assertThat(b.stream().info().flags()).containsExactly(ResponseFlag.SI);
        assertThat(a.stream().localReplies).isEmpty();
        assertThat(time.nextGuardTimerIn()).as("set again for a's deadline").isEqualTo(Duration.ofSeconds(10));
        time.advance(Duration.ofMillis(9_999));
        assertThat(a.stream().localReplies).isEmpty();
        time.advance(Duration.ofMillis(1));
        assertThat(a.stream().localReplies).extracting(LocalReply::status).containsExactly(408);
        assertThat(counters.rqIdleTimeout.sum()).isEqualTo(2);
        assertThat(time.pendingGuardTimers()).isZero();
    }

    @Test
    void aStreamThatEndedIsNotAnsweredAndNothingIsSetAgain() {
        Started s = start();
        time.advance(Duration.ofSeconds(5));
        s.filter().onDestroy();
        time.advance(Duration.ofMinutes(5));
        assertThat(s.stream().localReplies).isEmpty();
        assertThat(counters.rqIdleTimeout.sum()).isZero();
        assertThat(time.pendingGuardTimers()).isZero();
    }

    @Test
    void keepAliveRequestsOneAfterAnotherSetAtMostOneTimerAndTheLastStillTimesOutOnTime() {
        for (int i = 0; i < 10_000; i++) {
            Started s = start();
            time.advance(Duration.ofMillis(7));
            s.filter().onDestroy();
        }
        // 70 s of requests: one timer per timeout period (the first, and the remainders set at 30 s and 60 s).
        assertThat(scheduler.scheduled).isEqualTo(3);
        assertThat(scheduler.cancelled).isZero();
        Started silent = start(); // at 70 s: due at 100 s
        time.advance(Duration.ofMillis(29_999));
        assertThat(silent.stream().localReplies).isEmpty();
        time.advance(Duration.ofMillis(1));
        assertThat(silent.stream().localReplies).extracting(LocalReply::status).containsExactly(408);
        assertThat(time.elapsed()).isEqualTo(Duration.ofSeconds(100));
    }

    @Test
    void aStreamWhoseAnswerBeganIsResetNotAnswered() {
        Started s = start();
        time.advance(Duration.ofSeconds(3));
        s.filter().encodeHeaders(null, false); // the answer began at 3 s: the deadline is 33 s
        time.advance(Duration.ofMillis(29_999));
        assertThat(s.stream().info().flags()).isEmpty();
        time.advance(Duration.ofMillis(1));
        assertThat(s.stream().info().flags()).containsExactly(ResponseFlag.SI);
        assertThat(s.stream().localReplies).isEmpty();
        assertThat(counters.rqIdleTimeout.sum()).isOne();
    }
}
