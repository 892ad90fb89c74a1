package dev.meshunit.internal.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshunit.journal.ResponseFlag;
import dev.meshunit.internal.router.RetryState.Decision;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The retry state on its own: fake retry slots, a seeded random source, no sockets and no clock. */
class RetryStateTest {
    private static final RetryPolicy FIVE_XX_TWICE = new RetryPolicy(2, null, Set.of(RetryOn.FIVE_XX), Set.of(),
            Duration.ofMillis(25), true);

    /** A cluster's retry limit that counts what is held. */
    private static final class Slots implements RetryState.RetrySlots {
        final int max;
        final AtomicInteger held = new AtomicInteger();

        Slots(int max) {
            this.max = max;
        }

        @Override
        public RetryState.Releasable tryRetry() {
            if (held.get() >= max) return null;
            held.incrementAndGet();
            boolean[] released = new boolean[1];
            return () -> {
                if (!released[0]) held.decrementAndGet();
                released[0] = true;
            };
        }
    }

    private static RetryState state(RetryPolicy policy, Map<String, String> headers, Slots slots, long seed) {
        return RetryState.of(policy, headers::get, slots, new Random(seed));
    }

    @Test
    void retriesA5xxTwiceWithEnvoysJitteredBackOffThenGivesUpWithURX() {
        Slots slots = new Slots(10);
        RetryState s = state(FIVE_XX_TWICE, Map.of(), slots, 42);
        s.attemptStarted();
        Decision first = s.onResponse(503, null);
        assertThat(first).isInstanceOf(Decision.Retry.class);
        assertThat(((Decision.Retry) first).afterMillis()).isBetween(0L, 24L);
        assertThat(slots.held).as("held during the back-off").hasValue(1);
        s.attemptStarted();
        assertThat(slots.held).as("given back when the retry starts").hasValue(0);
        Decision second = s.onResponse(500, null);
        assertThat(((Decision.Retry) second).afterMillis()).isBetween(0L, 74L);
        s.attemptStarted();
        assertThat(s.attempts()).isEqualTo(3);
        assertThat(s.onResponse(503, null)).isEqualTo(new Decision.GiveUp(Set.of(ResponseFlag.URX)));
    }

    @Test
    void theSameSeedGivesTheSameBackOffs() {
        long[] a = backOffs(7);
        assertThat(backOffs(7)).isEqualTo(a);
        assertThat(a).hasSize(5);
        for (int i = 0; i < a.length; i++) {
            assertThat(a[i]).isBetween(0L, Math.min(250L, ((1L << (i + 1)) - 1) * 25 - 1));
        }
    }

    private static long[] backOffs(long seed) {
        RetryState s = state(new RetryPolicy(5, null, Set.of(RetryOn.RESET), Set.of(), Duration.ofMillis(25), true),
                Map.of(), new Slots(10), seed);
        long[] out = new long[5];
        for (int i = 0; i < 5; i++) {
            s.attemptStarted();
            out[i] = ((Decision.Retry) s.onFailure(UpstreamFailure.RESET)).afterMillis();
        }
        return out;
    }

    @Test
    void aStatusOrFailureTheConditionsDoNotNameIsPassedOnWithoutFlags() {
        RetryState s = state(FIVE_XX_TWICE, Map.of(), new Slots(10), 1);
        s.attemptStarted();
        assertThat(s.onResponse(404, null)).isEqualTo(new Decision.GiveUp(Set.of()));
        RetryState connectOnly = state(new RetryPolicy(2, null, Set.of(RetryOn.CONNECT_FAILURE), Set.of(),
                Duration.ofMillis(25), true), Map.of(), new Slots(10), 1);
        connectOnly.attemptStarted();
        assertThat(connectOnly.onFailure(UpstreamFailure.PER_TRY_TIMEOUT))
                .isEqualTo(new Decision.GiveUp(Set.of(ResponseFlag.UT)));
        assertThat(connectOnly.onFailure(UpstreamFailure.CONNECT_FAILURE)).isInstanceOf(Decision.Retry.class);
    }

    @Test
    void theClustersRetryLimitTurnsARetryIntoAnOverflow() {
        Slots slots = new Slots(0);
        RetryState s = state(FIVE_XX_TWICE, Map.of(), slots, 1);
        s.attemptStarted();
        assertThat(s.onResponse(503, null)).isEqualTo(new Decision.GiveUp(Set.of(ResponseFlag.UO)));
        s.attemptStarted();
        assertThat(s.onFailure(UpstreamFailure.RESET))
                .isEqualTo(new Decision.GiveUp(Set.of(ResponseFlag.UC, ResponseFlag.UO)));
    }

    @Test
    void aBodyTooLargeToReplayIsNotRetriedAndNotFlaggedURX() {
        RetryState s = state(FIVE_XX_TWICE, Map.of(), new Slots(10), 1);
        s.attemptStarted();
        s.bodyNotReplayable();
        assertThat(s.onResponse(503, null)).isEqualTo(new Decision.GiveUp(Set.of()));
    }

    @Test
    void requestHeadersOverrideRetriesAndPerTryTimeoutAndMalformedOnesAreIgnored() {
        RetryState s = state(FIVE_XX_TWICE, Map.of("x-envoy-max-retries", "0",
                "x-envoy-upstream-rq-per-try-timeout-ms", "150"), new Slots(10), 1);
        assertThat(s.policy().numRetries()).isZero();
        assertThat(s.policy().perTryTimeout()).isEqualTo(Duration.ofMillis(150));
        s.attemptStarted();
        assertThat(s.onResponse(503, null)).isEqualTo(new Decision.GiveUp(Set.of()));
        RetryState bad = state(FIVE_XX_TWICE, Map.of("x-envoy-max-retries", "many",
                "x-envoy-upstream-rq-per-try-timeout-ms", "-5"), new Slots(10), 1);
        assertThat(bad.policy()).isSameAs(FIVE_XX_TWICE);
    }

    @Test
    void releasingAtTheEndGivesBackASlotHeldForABackOff() {
        Slots slots = new Slots(1);
        RetryState s = state(FIVE_XX_TWICE, Map.of(), slots, 1);
        s.attemptStarted();
        assertThat(s.onResponse(503, null)).isInstanceOf(Decision.Retry.class);
        s.release();
        s.release();
        assertThat(slots.held).hasValue(0);
    }

    @Test
    void grpcStatusesAreRetriedOnTheirConditions() {
        RetryState s = state(new RetryPolicy(1, null, Set.of(RetryOn.GRPC_UNAVAILABLE), Set.of(), Duration.ofMillis(25),
                true), Map.of(), new Slots(10), 1);
        s.attemptStarted();
        assertThat(s.onResponse(200, "14")).isInstanceOf(Decision.Retry.class);
        s.attemptStarted();
        assertThat(s.onResponse(200, "14")).isEqualTo(new Decision.GiveUp(Set.of(ResponseFlag.URX)));
    }
}
