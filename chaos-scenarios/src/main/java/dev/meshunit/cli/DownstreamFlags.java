package dev.meshunit.cli;

import dev.meshunit.downstream.DownstreamLimits;
import java.time.Duration;
import java.util.List;

/**
 * {@code meshunit proxy}'s flags for the downstream side's limits and timeouts ({@link DownstreamLimits}); a
 * timeout of 0 turns it off, {@code --istio-sidecar-timeouts} starts from Istio's sidecar's values.
 */
final class DownstreamFlags {
    static final List<String> VALUED = List.of("--request-headers-timeout", "--stream-idle-timeout", "--idle-timeout",
            "--max-headers-count", "--max-request-headers-kb", "--max-connections", "--max-pending-head-bytes");
    static final String SIDECAR = "--istio-sidecar-timeouts";

    private DownstreamFlags() {}

    static DownstreamLimits parse(Options o) throws UsageException {
        DownstreamLimits d = o.has(SIDECAR) ? DownstreamLimits.ISTIO_SIDECAR : DownstreamLimits.DEFAULT;
        if (o.has("--request-headers-timeout")) d = d.withRequestHeadersTimeout(timeout(o, "--request-headers-timeout"));
        if (o.has("--stream-idle-timeout")) d = d.withStreamIdleTimeout(timeout(o, "--stream-idle-timeout"));
        if (o.has("--idle-timeout")) d = d.withIdleTimeout(timeout(o, "--idle-timeout"));
        int count = (int) number(o, "--max-headers-count", 1, Integer.MAX_VALUE, d.maxHeadersCount());
        int kib = (int) number(o, "--max-request-headers-kb", 1, 8192, d.maxRequestHeadersBytes() / 1024);
        d = d.withMaxHeaders(count, kib * 1024)
                .withMaxConnections((int) number(o, "--max-connections", 1, Integer.MAX_VALUE, d.maxConnections()))
                .withMaxPendingHeadBytes(number(o, "--max-pending-head-bytes", 0, Long.MAX_VALUE, d.maxPendingHeadBytes()));
        return d;
    }

    private static Duration timeout(Options o, String flag) throws UsageException {
        String v = o.value(flag);
        if (v.matches("0+(\\.0+)?(s|ms|m|h)?")) return Duration.ZERO;
        return LoadSettings.duration(flag, v);
    }

    private static long number(Options o, String flag, long min, long max, long fallback) throws UsageException {
        if (!o.has(flag)) return fallback;
        long n = o.number(flag, o.value(flag));
        if (n < min || n > max) {
            throw new UsageException(flag + " must be " + min + "-" + max + ", was '" + o.value(flag) + "'");
        }
        return n;
    }
}
