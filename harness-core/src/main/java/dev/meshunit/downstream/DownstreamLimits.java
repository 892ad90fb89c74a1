package dev.meshunit.downstream;

import java.time.Duration;
import java.util.Objects;

/**
 * The limits and timeouts of the proxy's downstream (client) side, as Envoy's HTTP connection manager has them.
 * A zero duration disables a timeout.
 *
 * <p>{@link #DEFAULT} keeps Envoy's values where Istio's sidecar keeps them (max headers count 100, max request
 * headers 60 KiB, idle timeout 1 h, no connection limit) and, where the sidecar disables a timeout, chooses one so
 * that a misbehaving peer cannot hang a test or pin memory forever: request headers timeout 60 s (the value of
 * Istio's gateways and nginx) and stream idle timeout 5 min (Envoy's own default). {@link #ISTIO_SIDECAR} is the
 * sidecar's exact settings (both disabled).
 *
 * @param requestHeadersTimeout from the first byte of a request head to its last (Envoy's
 *                              {@code request_headers_timeout}): a slow head is answered 408 and closed
 * @param streamIdleTimeout     a stream with no activity either way this long (Envoy's {@code stream_idle_timeout})
 *                              is answered 504 (408 while the request is incomplete) {@code stream timeout}, flag
 *                              SI, or reset once its answer has begun
 * @param idleTimeout           a connection with no stream this long is closed (Envoy's
 *                              {@code common_http_protocol_options.idle_timeout})
 * @param maxHeadersCount       request headers allowed (Envoy's {@code max_headers_count}); more is 431
 * @param maxRequestHeadersBytes request line target plus header names and values (Envoy's
 *                              {@code max_request_headers_kb}); more is 431. A URI may use all of it, as in Envoy
 * @param maxConnections        downstream connections open at once; one more is closed at accept (Envoy's listener
 *                              connection limit, {@code downstream_cx_overflow})
 * @param maxPendingHeadBytes   bytes all connections together may hold in request heads not yet complete; the head
 *                              that goes past it is answered 503 {@code envoy overloaded}, flag OM (what Envoy's
 *                              overload manager does under memory pressure). 0: an eighth of the JVM's heap
 */
public record DownstreamLimits(Duration requestHeadersTimeout, Duration streamIdleTimeout, Duration idleTimeout,
                               int maxHeadersCount, int maxRequestHeadersBytes, int maxConnections,
                               long maxPendingHeadBytes) {
    public static final DownstreamLimits DEFAULT = new DownstreamLimits(Duration.ofSeconds(60), Duration.ofMinutes(5),
            Duration.ofHours(1), 100, 60 * 1024, Integer.MAX_VALUE, 0);

    /** Istio's sidecar: Envoy's limits, no request headers timeout and no stream idle timeout. */
    public static final DownstreamLimits ISTIO_SIDECAR = DEFAULT.withRequestHeadersTimeout(Duration.ZERO)
            .withStreamIdleTimeout(Duration.ZERO);

    public DownstreamLimits {
        requireTimeout("requestHeadersTimeout", requestHeadersTimeout);
        requireTimeout("streamIdleTimeout", streamIdleTimeout);
        requireTimeout("idleTimeout", idleTimeout);
        if (maxHeadersCount < 1) throw new IllegalArgumentException("maxHeadersCount must be >= 1, got " + maxHeadersCount);
        if (maxRequestHeadersBytes < 1024 || maxRequestHeadersBytes > 8 * 1024 * 1024) {
            throw new IllegalArgumentException("maxRequestHeadersBytes must be 1024-8388608 (Envoy: 1-8192 KiB), got "
                    + maxRequestHeadersBytes);
        }
        if (maxConnections < 1) throw new IllegalArgumentException("maxConnections must be >= 1, got " + maxConnections);
        if (maxPendingHeadBytes < 0) throw new IllegalArgumentException("maxPendingHeadBytes must be >= 0, got " + maxPendingHeadBytes);
    }

    private static void requireTimeout(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative()) throw new IllegalArgumentException(name + " must be 0 (off) or more, got " + d);
    }

    public DownstreamLimits withRequestHeadersTimeout(Duration d) {
        return new DownstreamLimits(d, streamIdleTimeout, idleTimeout, maxHeadersCount, maxRequestHeadersBytes,
                maxConnections, maxPendingHeadBytes);
    }

    public DownstreamLimits withStreamIdleTimeout(Duration d) {
        return new DownstreamLimits(requestHeadersTimeout, d, idleTimeout, maxHeadersCount, maxRequestHeadersBytes,
                maxConnections, maxPendingHeadBytes);
    }

    public DownstreamLimits withIdleTimeout(Duration d) {
        return new DownstreamLimits(requestHeadersTimeout, streamIdleTimeout, d, maxHeadersCount, maxRequestHeadersBytes,
                maxConnections, maxPendingHeadBytes);
    }

    public DownstreamLimits withMaxHeaders(int count, int bytes) {
        return new DownstreamLimits(requestHeadersTimeout, streamIdleTimeout, idleTimeout, count, bytes, maxConnections,
                maxPendingHeadBytes);
    }

    public DownstreamLimits withMaxConnections(int n) {
        return new DownstreamLimits(requestHeadersTimeout, streamIdleTimeout, idleTimeout, maxHeadersCount,
                maxRequestHeadersBytes, n, maxPendingHeadBytes);
    }

    public DownstreamLimits withMaxPendingHeadBytes(long bytes) {
        return new DownstreamLimits(requestHeadersTimeout, streamIdleTimeout, idleTimeout, maxHeadersCount,
                maxRequestHeadersBytes, maxConnections, bytes);
    }

    /** The budget of unfinished heads in bytes, {@link #maxPendingHeadBytes} or its automatic value. */
    public long pendingHeadBudget() {
        return maxPendingHeadBytes > 0 ? maxPendingHeadBytes : Math.max(1024 * 1024, Runtime.getRuntime().maxMemory() / 8);
    }
}
