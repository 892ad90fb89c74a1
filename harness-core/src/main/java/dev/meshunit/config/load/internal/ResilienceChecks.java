package dev.meshunit.config.load.internal;

import dev.meshunit.config.HttpFaultInjection;
import dev.meshunit.config.HttpRetry;
import dev.meshunit.config.HttpRoute;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/** Rules for retries and fault injection, including MeshUnit's lint for the classic surprises. */
final class ResilienceChecks {
    private static final Set<String> RETRY_ON = Set.of("5xx", "gateway-error", "reset", "reset-before-request",
            "connect-failure", "retriable-4xx", "refused-stream", "retriable-status-codes", "retriable-headers",
            "envoy-ratelimited", "http3-post-connect-failure", "cancelled", "deadline-exceeded", "internal",
            "resource-exhausted", "unavailable");
    private static final List<String> RETRY_TIMEOUTS = List.of("5xx", "gateway-error", "reset");
    private static final Set<String> GRPC_STATUS = Set.of("OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT",
            "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED",
            "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS",
            "UNAUTHENTICATED");

    private ResilienceChecks() {}

    static void retries(HttpRoute h, String path, Report r) {
        HttpRetry retry = h.retries();
        if (retry == null) return;
        String p = path + ".retries";
        int attempts = retry.attempts() == null ? 0 : retry.attempts();
        if (attempts < 0) r.error(p + ".attempts", "attempts cannot be negative (must be >= 0, got " + attempts + ")");
        if (attempts == 0 && (retry.perTryTimeout() != null || retry.retryOn() != null || retry.retryRemoteLocalities() != null)) {
            r.error(p, "http retry policy configured when attempts is 0 (disabled)");
        }
        Checks.duration(r, p + ".perTryTimeout", retry.perTryTimeout());
        Checks.duration(r, p + ".backoff", retry.backoff());
        List<String> on = retry.retryOn() == null ? List.of() : Arrays.asList(retry.retryOn().split(","));
        for (String token : on) {
            if (!RETRY_ON.contains(token) && !isStatus(token)) {
                r.error(p + ".retryOn", "\"" + token + "\" is not a valid retryOn policy; allowed: "
                        + String.join(", ", RETRY_ON.stream().sorted().toList()) + " or an HTTP status code");
            }
        }
        if (retry.perTryTimeout() != null && attempts > 0 && on.stream().noneMatch(RETRY_TIMEOUTS::contains)) {
            r.warning(p + ".perTryTimeout", "a per-try timeout is only retried when retryOn contains 5xx, "
                    + "gateway-error or reset; otherwise the first timeout answers 504");
        }
        if (retry.perTryTimeout() != null && h.timeout() != null && retry.perTryTimeout().compareTo(h.timeout()) >= 0) {
            r.warning(p + ".perTryTimeout", "perTryTimeout >= timeout: no retry can happen after a per-try timeout");
        }
        if (Boolean.TRUE.equals(retry.retryRemoteLocalities())) {
            r.notActedOn(p + ".retryRemoteLocalities", NotActedOn.REMOTE_LOCALITIES);
        }
    }

    private static boolean isStatus(String token) {
        try {
            int code = Integer.parseInt(token);
            return code >= 100 && code <= 599;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    static void fault(HttpFaultInjection fault, String path, Report r) {
        if (fault == null) return;
        if (fault.delay() == null && fault.abort() == null) r.error(path, "fault must have an abort or a delay");
        HttpFaultInjection.Delay delay = fault.delay();
        if (delay != null) {
            String p = path + ".delay";
            if (delay.exponentialDelay() != null) r.error(p + ".exponentialDelay", "exponentialDelay is not supported yet");
            else if (delay.fixedDelay() == null) r.warning(p, "delay has no fixedDelay; it delays nothing");
            Checks.duration(r, p + ".fixedDelay", delay.fixedDelay());
            if (delay.percent() != null && delay.percent() > 0) {
                r.warning(p + ".percent", "Deprecated: HTTPRoute.fault.delay.percent is deprecated; use HTTPRoute.fault.delay.percentage",
                        "IST0002");
            }
            if (delay.percent() != null && (delay.percent() < 0 || delay.percent() > 100)) {
                r.warning(p + ".percent", "percent " + delay.percent() + " is outside [0, 100]");
            }
            percentage(r, p, delay.percentage(), delay.percent() != null);
        }
        HttpFaultInjection.Abort abort = fault.abort();
        if (abort != null) {
            String p = path + ".abort";
            if (abort.http2Error() != null) r.error(p + ".http2Error", "HTTP/2 abort fault injection is not supported yet");
            if (abort.httpStatus() != null) ActionChecks.httpStatus(r, p + ".httpStatus", abort.httpStatus());
            if (abort.grpcStatus() != null && !GRPC_STATUS.contains(abort.grpcStatus())) {
                r.error(p + ".grpcStatus", "unknown grpcStatus \"" + abort.grpcStatus() + "\"; allowed: "
                        + String.join(", ", GRPC_STATUS.stream().sorted().toList()));
            }
            if (abort.httpStatus() != null && abort.grpcStatus() != null) r.error(p, "only one of httpStatus or grpcStatus");
            if (abort.httpStatus() == null && abort.grpcStatus() == null && abort.http2Error() == null) {
                r.warning(p, "abort has no httpStatus or grpcStatus; Istio drops this fault");
            }
            percentage(r, p, abort.percentage(), false);
        }
    }

    /** Istio: 0, or [0.0001, 100]; absent means the fault never fires (the old docs said "always"). */
    private static void percentage(Report r, String path, Double value, boolean legacyPercent) {
        String p = path + ".percentage.value";
        if (value == null) {
            if (!legacyPercent) r.warning(path + ".percentage", "no percentage: this fault will never fire");
            return;
        }
        if (value != 0 && (value < 0.0001 || value > 100)) {
            r.error(p, "percentage " + value + " is neither 0.0, nor in range [0.0001, 100.0]");
        } else if (value > 0 && value <= 1) {
            r.warning(p, "percentage " + value + " is a percent, i.e. " + value + " in 100 requests; did you mean "
                    + value * 100 + "?");
        }
    }
}
