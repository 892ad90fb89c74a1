package dev.meshunit.internal.router;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Envoy's fully jittered exponential back-off: retry N waits a uniform random time in
 * [0, (2^N - 1) * base), capped at ten times the base. Per request; confined to its event loop.
 */
public final class Backoff {
    private final long baseMs;
    private final long maxMs;
    private int currentRetry = 1;

    public Backoff(Duration base, Duration max) {
        this.baseMs = Math.max(1, base.toMillis());
        this.maxMs = Math.max(baseMs, max.toMillis());
    }

    public long nextMillis(RandomGenerator random) {
        long multiplier = (1L << currentRetry) - 1;
        long bound = multiplier * baseMs;
        if (bound <= maxMs) currentRetry++;
        return Math.min(random.nextLong(bound), maxMs);
    }
}
