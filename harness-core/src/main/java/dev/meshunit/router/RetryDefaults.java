package dev.meshunit.router;

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

    /** istiod's retryOn for routes without one. */
    public static final String DEFAULT_RETRY_ON = "connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes";
    /** istiod's attempts for routes without a retries block. */
    public static final int DEFAULT_ATTEMPTS = 2;

    private final Set<Integer> statusCodes;

    RetryDefaults(Set<Integer> statusCodes) {
        this.statusCodes = statusCodes;
    }

    /** Whether a route without a retries block is retried at all. */
    public boolean retries() {
        return statusCodes != null;
    }

    /** The status codes retried besides the default conditions (503 before Istio 1.24); empty for {@link #NONE}. */
    public Set<Integer> statusCodes() {
        return statusCodes == null ? Set.of() : statusCodes;
    }
}
