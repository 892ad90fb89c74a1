package dev.meshunit.internal.router;

import dev.meshunit.config.HttpRetry;
import dev.meshunit.router.RetryDefaults;
import java.time.Duration;
import java.util.Set;

/**
 * A route's compiled retry policy: how many retries, on what, with which per-try timeout and back-off.
 * Conditions follow Envoy's router: a status-code condition matches only codes the upstream returned.
 */
public record RetryPolicy(
        int numRetries, Duration perTryTimeout, Set<RetryOn> conditions, Set<Integer> statusCodes,
        Duration backoffBase, boolean ignorePreviousHosts) {

    public static final Duration DEFAULT_BACKOFF = Duration.ofMillis(25);
    public static final RetryPolicy NONE = new RetryPolicy(0, null, Set.of(), Set.of(), DEFAULT_BACKOFF, true);

    public RetryPolicy {
        conditions = Set.copyOf(conditions);
        statusCodes = Set.copyOf(statusCodes);
        backoffBase = backoffBase == null ? DEFAULT_BACKOFF : backoffBase;
    }

    /** Istio's translation of an {@code HTTPRetry} block (or the mesh default when there is none). */
    public static RetryPolicy of(HttpRetry retry, RetryDefaults defaults) {
        if (retry == null) return defaults(defaults);
        int attempts = retry.attempts() == null ? 0 : retry.attempts();
        if (attempts == 0) return NONE;
        RetryOn.Parsed parsed = retry.retryOn() == null || retry.retryOn().isBlank()
                ? new RetryOn.Parsed(RetryOn.parse(RetryDefaults.DEFAULT_RETRY_ON).conditions(), defaults.statusCodes())
                : RetryOn.parse(retry.retryOn());
        boolean ignorePrevious = retry.retryIgnorePreviousHosts() == null || retry.retryIgnorePreviousHosts();
        return new RetryPolicy(attempts, retry.perTryTimeout(), parsed.conditions(), parsed.statusCodes(),
                retry.backoff(), ignorePrevious);
    }

    /** The policy of a route with no retries block. */
    public static RetryPolicy defaults(RetryDefaults defaults) {
        if (!defaults.retries()) return NONE;
        return new RetryPolicy(RetryDefaults.DEFAULT_ATTEMPTS, null, RetryOn.parse(RetryDefaults.DEFAULT_RETRY_ON).conditions(),
                defaults.statusCodes(), DEFAULT_BACKOFF, true);
    }

    /** Envoy's default cap is ten times the base interval. */
    public Duration backoffMax() {
        return backoffBase.multipliedBy(10);
    }

    public boolean has(RetryOn condition) {
        return conditions.contains(condition);
    }

    /** Whether a response the upstream sent may be retried. */
    public boolean retriableStatus(int status, String grpcStatus) {
        if (has(RetryOn.FIVE_XX) && status >= 500) return true;
        if (has(RetryOn.GATEWAY_ERROR) && (status == 502 || status == 503 || status == 504)) return true;
        if (has(RetryOn.RETRIABLE_4XX) && status == 409) return true;
        if (has(RetryOn.RETRIABLE_STATUS_CODES) && statusCodes.contains(status)) return true;
        if (grpcStatus != null) {
            switch (grpcStatus.trim()) {
                case "1": return has(RetryOn.GRPC_CANCELLED);
                case "4": return has(RetryOn.GRPC_DEADLINE_EXCEEDED);
                case "8": return has(RetryOn.GRPC_RESOURCE_EXHAUSTED);
                case "13": return has(RetryOn.GRPC_INTERNAL);
                case "14": return has(RetryOn.GRPC_UNAVAILABLE);
                default: return false;
            }
        }
        return false;
    }

    /** Whether a failure with no response may be retried. */
    public boolean retriableFailure(UpstreamFailure failure) {
        return switch (failure) {
            case CONNECT_FAILURE -> has(RetryOn.CONNECT_FAILURE) || has(RetryOn.FIVE_XX)
                    || has(RetryOn.GATEWAY_ERROR) || has(RetryOn.RESET) || has(RetryOn.RESET_BEFORE_REQUEST);
            case RESET_BEFORE_REQUEST -> has(RetryOn.RESET_BEFORE_REQUEST) || has(RetryOn.RESET)
                    || has(RetryOn.FIVE_XX) || has(RetryOn.GATEWAY_ERROR);
            case RESET, PROTOCOL_ERROR -> has(RetryOn.RESET) || has(RetryOn.FIVE_XX) || has(RetryOn.GATEWAY_ERROR);
            case PER_TRY_TIMEOUT -> has(RetryOn.FIVE_XX) || has(RetryOn.GATEWAY_ERROR) || has(RetryOn.RESET);
        };
    }
}
