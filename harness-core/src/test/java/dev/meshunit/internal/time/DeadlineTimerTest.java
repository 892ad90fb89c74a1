package dev.meshunit.internal.time;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshunit.VirtualSchedulers;
import dev.meshunit.VirtualTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

/** The re-armable timer on virtual time: exact deadlines, and the scheduler touched only when it must be. */
class DeadlineTimerTest {
    private final VirtualTime time = VirtualTime.create();
    private final CountingScheduler scheduler = new CountingScheduler(VirtualSchedulers.of(time));
    private final Executor loop = Runnable::run;
    private final List<Duration> fired = new ArrayList<>();
    private final DeadlineTimer timer = DeadlineTimer.guard(scheduler, loop, () -> fired.add(time.elapsed()));

    @Test
    void firesExactlyAtTheDeadlineAndOnlyOnce() {
        timer.arm(1_000);
        assertThat(time.pendingGuardTimers()).isOne();
        assertThat(time.pendingTimers()).as("a guard's timer is counted apart").isZero();
        time.advance(Duration.ofMillis(999));
        assertThat(fired).isEmpty();
        assertThat(timer.armed()).isTrue();
        time.advance(Duration.ofMillis(1));
        assertThat(fired).containsExactly(Duration.ofSeconds(1));
        assertThat(timer.armed()).isFalse();
        time.advance(Duration.ofHours(1));
        assertThat(fired).hasSize(1);
        assertThat(time.pendingGuardTimers()).isZero();
    }

    @Test
    void aDisarmedTimerFiringDoesNothingAndSetsNothingAgain() {
        timer.arm(1_000);
        timer.disarm();
        assertThat(time.pendingGuardTimers()).as("disarming leaves the scheduler alone").isOne();
        time.advance(Duration.ofSeconds(1));
        assertThat(fired).isEmpty();
        assertThat(time.pendingGuardTimers()).isZero();
        time.advance(Duration.ofHours(1));
        assertThat(fired).isEmpty();
    }

    @Test
    void armingLaterMovesTheDeadlineAndTheEarlyFireSetsTheRemainderExactly() {
        timer.arm(1_000);
        time.advance(Duration.ofMillis(400));
        timer.arm(1_000); // due at 1.4 s now; the pending fire at 1 s stays
        assertThat(scheduler.scheduled).isOne();
        assertThat(time.nextGuardTimerIn()).isEqualTo(Duration.ofMillis(600));
        time.advance(Duration.ofMillis(600));
        assertThat(fired).isEmpty();
        assertThat(time.nextGuardTimerIn()).as("the remainder").isEqualTo(Duration.ofMillis(400));
        time.advance(Duration.ofMillis(399));
        assertThat(fired).isEmpty();
        time.advance(Duration.ofMillis(1));
        assertThat(fired).containsExactly(Duration.ofMillis(1_400));
    }

    @Test
    void armingEarlierThanThePendingFireHonoursTheEarlierDeadline() {
        timer.arm(10_000);
        timer.arm(2_000);
        assertThat(scheduler.cancelled).as("the later timer is cancelled, not kept").isOne();
        assertThat(time.pendingGuardTimers()).isOne();
        assertThat(time.nextGuardTimerIn()).isEqualTo(Duration.ofSeconds(2));
        time.advance(Duration.ofMillis(1_999));
        assertThat(fired).isEmpty();
        time.advance(Duration.ofMillis(1));
        assertThat(fired).containsExactly(Duration.ofSeconds(2));
        time.advance(Duration.ofSeconds(20));
        assertThat(fired).hasSize(1);
    }

    @Test
    void aDeadlineBetweenMillisecondsIsNeverAnticipated() {
        // The scheduler counts in milliseconds: a deadline between two of them fires at the next one, never before.
        time.advance(Duration.ofNanos(300_000));
        timer.armAt(scheduler.nanoTime() + 1_500_000); // due at 1.8 ms
        time.advance(Duration.ofNanos(1_500_000));
        assertThat(fired).isEmpty();
        time.advance(Duration.ofMillis(1));
        assertThat(fired).containsExactly(Duration.ofNanos(2_300_000));
    }

    @Test
    void manyArmAndDisarmCyclesScheduleAtMostOneUnderlyingTimer() {
        for (int i = 0; i < 10_000; i++) {
            timer.arm(60_000);
            timer.disarm();
            if (i % 100 == 0) time.advance(Duration.ofMillis(1));
        }
        assertThat(scheduler.scheduled).as("timers set by 10,000 cycles").isOne();
        assertThat(scheduler.cancelled).isZero();
        timer.arm(60_000); // at 100 ms: due at 60.1 s
        time.advance(Duration.ofSeconds(60).minusMillis(1));
        assertThat(fired).isEmpty();
        assertThat(scheduler.scheduled).as("the first fire set the remainder").isEqualTo(2);
        time.advance(Duration.ofMillis(100));
        assertThat(fired).containsExactly(Duration.ofMillis(60_100));
        assertThat(scheduler.cancelled).isZero();
    }

    @Test
    void cancelDropsTheUnderlyingTimerAndArmingAgainWorks() {
        timer.arm(5_000);
        timer.cancel();
        assertThat(time.pendingGuardTimers()).isZero();
        assertThat(timer.armed()).isFalse();
        timer.arm(1_000);
        time.advance(Duration.ofSeconds(1));
        assertThat(fired).containsExactly(Duration.ofSeconds(1));
    }

    @Test
    void anOrdinaryTimerIsCountedWithTheProxysOtherTimers() {
        DeadlineTimer plain = DeadlineTimer.of(scheduler, loop, () -> fired.add(time.elapsed()));
        plain.arm(200);
        assertThat(time.pendingTimers()).isOne();
        assertThat(time.pendingGuardTimers()).isZero();
        time.advance(Duration.ofMillis(200));
        assertThat(fired).containsExactly(Duration.ofMillis(200));
    }

    @Test
    void theActionMayArmTheTimerAgain() {
        DeadlineTimer[] self = new DeadlineTimer[1];
        self[0] = DeadlineTimer.guard(scheduler, loop, () -> {
            fired.add(time.elapsed());
            if (fired.size() < 3) self[0].arm(100);
        });
        self[0].arm(100);
        time.advance(Duration.ofSeconds(1));
        assertThat(fired).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(300));
        assertThat(time.pendingGuardTimers()).isZero();
    }
}
