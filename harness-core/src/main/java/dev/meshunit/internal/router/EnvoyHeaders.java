package dev.meshunit.internal.router;

import io.netty.util.AsciiString;
import java.time.Duration;

/** The request headers through which a client overrides the router's settings, as Envoy reads them. */
public final class EnvoyHeaders {
    public static final String ROUTE_TIMEOUT_MS = "x-envoy-upstream-rq-timeout-ms";
    public static final String PER_TRY_TIMEOUT_MS = "x-envoy-upstream-rq-per-try-timeout-ms";
    public static final String MAX_RETRIES = "x-envoy-max-retries";
    /** Set by the router on each attempt; a constant so that its case-insensitive hash is computed once. */
    public static final AsciiString ATTEMPT_COUNT = AsciiString.cached("x-envoy-attempt-count");

    private EnvoyHeaders() {}

    /** A millisecond header, or {@code fallback} when absent or malformed (Envoy ignores a malformed override). */
    public static Duration millis(String value, Duration fallback) {
        if (value == null) return fallback;
        try {
            long ms = Long.parseLong(value.trim());
            return ms >= 0 ? Duration.ofMillis(ms) : fallback;
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    /** A count header (negative counts as 0), or null when absent or malformed. */
    public static Integer count(String value) {
        if (value == null) return null;
        try {
            return Math.max(0, Integer.parseInt(value.trim()));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
