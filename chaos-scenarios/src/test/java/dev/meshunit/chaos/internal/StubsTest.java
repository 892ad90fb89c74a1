package dev.meshunit.chaos.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshunit.chaos.NettyLeakCheck;
import dev.meshunit.chaos.Toxic;
import dev.meshunit.chaos.internal.FakeStubContext.Emitted;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Each stub on a virtual clock: what leaves it, when, and how it ends. */
@ExtendWith(NettyLeakCheck.class)
class StubsTest {

    private static String repeat(int n) {
        return "x".repeat(n);
    }

    @Test
    void latencyCountsTimeAlreadySpentSoChunksDoNotQueueBehindEachOther() {
        FakeStubContext ctx = new FakeStubContext(Stubs.create(new Toxic.Latency(100, 0)));
        ctx.offer("a");
        ctx.advance(30);
        ctx.offer("b");
        ctx.advance(200);
        assertThat(ctx.emitted).containsExactly(new Emitted(100, "a"), new Emitted(130, "b"));
    }

    @Test
    void bandwidthSendsSlicesOf100MillisecondsWorth() {
        FakeStubContext ctx = new FakeStubContext(Stubs.create(new Toxic.Bandwidth(1)));
        ctx.offer(repeat(250));
        ctx.advance(1000);
        assertThat(ctx.emitted).extracting(Emitted::atMillis).containsExactly(100L, 200L, 250L);
        assertThat(ctx.emitted).extracting(e -> e.data().length()).containsExactly(100, 100, 50);
    }

    @Test
    void bandwidthZeroHoldsTheChunk() {
        FakeStubContext ctx = new FakeStubContext(Stubs.create(new Toxic.Bandwidth(0)));
        ctx.offer("held");
        ctx.advance(10_000);
        assertThat(ctx.emitted).isEmpty();
        assertThat(ctx.busy()).isTrue();
        ctx.current().data().release();
    }

    @Test
    void slicerBisectsLikeToxiproxyAndSpacesPiecesByDelayMicroseconds() {
        FakeStubContext ctx = new FakeStubContext(Stubs.create(new Toxic.Slicer(10, 0, 5000)));
        ctx.offer(repeat(100));
        ctx.advance(1000);
        assertThat(ctx.emitted).extracting(e -> e.data().length())
                .containsExactly(6, 6, 6, 7, 6, 6, 6, 7, 6, 6, 6, 7, 6, 6, 6, 7);
        assertThat(ctx.emitted).extracting(Emitted::atMillis).startsWith(0L, 5L, 10L);
    }

    @Test
    void slicerWithZeroAverageStopsAtSingleBytes() {
        FakeStubContext ctx = new FakeStubContext(Stubs.create(new Toxic.Slicer(0, 0, 0)));
        ctx.offer("abcd");
        assertThat(ctx.emitted).extracting(Emitted::data).containsExactly("a", "b", "c", "d");
    }

    @Test
    void limitDataPassesTheFirstBytesThenEndsTheStream() {
        FakeStubContext ctx = new FakeStubContext(Stubs.create(new Toxic.LimitData(5)));
        ctx.offer("abc");
        ctx.offer("defgh");
        assertThat(ctx.emitted).extracting(Emitted::data).containsExactly("abc", "de");
        assertThat(ctx.events).containsExactly("LIMIT_DATA@0");
        assertThat(ctx.droppedBytes).isEqualTo(3);
    }

    @Test
    void timeoutSwallowsAndEndsAfterItsTimeout() {
        FakeStubContext ctx = new FakeStubContext(Stubs.create(new Toxic.Timeout(300)));
        ctx.offer("gone");
        ctx.advance(299);
        assertThat(ctx.events).isEmpty();
        ctx.advance(1);
        assertThat(ctx.emitted).isEmpty();
        assertThat(ctx.events).containsExactly("TIMEOUT_TOXIC@300");
    }

    @Test
    void resetPeerDropsTheFirstChunkAndResetsAfterItsTimeout() {
        FakeStubContext ctx = new FakeStubContext(Stubs.create(new Toxic.ResetPeer(50)));
        ctx.advance(1000);
        ctx.offer("first");
        ctx.advance(49);
        assertThat(ctx.events).isEmpty();
        ctx.advance(1);
        assertThat(ctx.events).containsExactly("reset@1050");
        assertThat(ctx.emitted).isEmpty();
    }

    @Test
    void slowCloseDelaysTheEnd() {
        FakeStubContext ctx = new FakeStubContext(Stubs.create(new Toxic.SlowClose(400)));
        ctx.offer("data");
        ctx.end();
        ctx.advance(399);
        assertThat(ctx.events).isEmpty();
        ctx.advance(1);
        assertThat(ctx.emitted).extracting(Emitted::data).containsExactly("data");
        assertThat(ctx.events).containsExactly("end@400");
    }
}
