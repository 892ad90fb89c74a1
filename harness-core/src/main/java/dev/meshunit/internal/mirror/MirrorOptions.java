package dev.meshunit.internal.mirror;

import java.time.Duration;
import java.util.Objects;

/**
 * Bounds of request mirroring, so that shadows can never hold up the primary or grow without limit.
 *
 * @param maxBodyBytes    the most of a request body copied for shadows; a larger request is not mirrored
 * @param maxInFlight     shadow copies under way at once, per proxy; past it a copy is dropped (flag UO)
 * @param timeout         how long a shadow may take when its route has no timeout (Istio would wait forever)
 * @param recordBodyBytes the most of the primary's and the shadows' answer bodies kept for comparison; 0 keeps
 *                        none and records no primary answers at all
 */
public record MirrorOptions(int maxBodyBytes, int maxInFlight, Duration timeout, int recordBodyBytes) {
    public static final MirrorOptions DEFAULT = new MirrorOptions(1024 * 1024, 1024, Duration.ofSeconds(30), 0);

    public MirrorOptions {
        if (maxBodyBytes < 0) throw new IllegalArgumentException("mirror maxBodyBytes must be >= 0, got " + maxBodyBytes);
        if (maxInFlight < 1) throw new IllegalArgumentException("mirror maxInFlight must be >= 1, got " + maxInFlight);
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("mirror timeout must be > 0, got " + timeout);
        if (recordBodyBytes < 0) throw new IllegalArgumentException("recordBodies must be >= 0, got " + recordBodyBytes);
    }

    public MirrorOptions withRecordBodyBytes(int bytes) {
        return new MirrorOptions(maxBodyBytes, maxInFlight, timeout, bytes);
    }

    public MirrorOptions withLimits(int bodyBytes, int inFlight, Duration shadowTimeout) {
        return new MirrorOptions(bodyBytes, inFlight, shadowTimeout, recordBodyBytes);
    }
}
