package dev.meshunit.router;

import java.time.Duration;
import java.util.Set;

/**
 * The retry policy istiod gives a route that has no {@code retries} block. Istio 1.24 removed 503 from the
 * retriable status codes; earlier releases retried a 503 twice.
 */
public enum RetryDefaults {
    /** Istio 1.24 and later: 2 retries on connect-failure, refused-stream, unavailable, cancelled. */
    ISTIO_1_24(Set.of()),
    /** Istio 1.1 to 1.23: the same, and also on a 503 from the upstream. */
    ISTIO_1_23(Set.of(503)),
    /** No retries unless a route asks for them. */
    NONE(null);

    static final String DEFAULT_RETRY_ON = "connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes";
    static final int DEFAULT_ATTEMPTS = 2;

    private final Set<Integer> statusCodes;

    RetryDefaults(Set<Integer> statusCodes) {
        this.statusCodes = statusCodes;
    }

    /** The policy for a route with no retries block. */
    public RetryPolicy policy() {
        if (statusCodes == null) return RetryPolicy.NONE;
        return new RetryPolicy(DEFAULT_ATTEMPTS, null, RetryOn.parse(DEFAULT_RETRY_ON).conditions(), statusCodes,
                RetryPolicy.DEFAULT_BACKOFF, true);
    }

    /** The retryOn of a user block that sets attempts but no retryOn. */
    RetryOn.Parsed defaultConditions() {
        return new RetryOn.Parsed(RetryOn.parse(DEFAULT_RETRY_ON).conditions(), statusCodes == null ? Set.of() : statusCodes);
    }

    static Duration defaultBackoff() {
        return RetryPolicy.DEFAULT_BACKOFF;
    }
}
