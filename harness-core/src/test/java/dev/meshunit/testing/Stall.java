package dev.meshunit.testing;

import java.time.Duration;
import java.util.function.LongSupplier;

/** Waiting for a producer held back by back-pressure to stop: its count has not moved for a second. */
public final class Stall {
    private Stall() {}

    /**
     * Returns once {@code progress} is above zero and has not changed for a second, within {@code atMost}: only then
     * are the buffers in between full, however busy the machine (a fixed wait can end while a starved proxy is
     * still filling them).
     */
    public static long await(LongSupplier progress, Duration atMost) {
        long[] last = {-1};
        long[] since = {System.nanoTime()};
        org.awaitility.Awaitility.await().pollInterval(Duration.ofMillis(100)).atMost(atMost).until(() -> {
            long now = progress.getAsLong();
            if (now != last[0]) {
                last[0] = now;
                since[0] = System.nanoTime();
            }
            return now > 0 && System.nanoTime() - since[0] >= 1_000_000_000L;
        });
        return progress.getAsLong();
    }
}
