package dev.meshunit.internal.router;

import dev.meshunit.internal.http.RequestHead;
import java.time.Duration;

/**
 * A gRPC client's {@code grpc-timeout} header as Istio has Envoy honour it: Istio sets the route's
 * {@code max_stream_duration.grpc_timeout_header_max} to the route timeout, so the header bounds the call up
 * to the route timeout (with no route timeout, without bound).
 */
final class GrpcTimeout {
    private GrpcTimeout() {}

    /** The timeout for {@code request}, given the route's ({@code null} or zero: none). */
    static Duration apply(RequestHead request, Duration route) {
        String type = request.header("content-type");
        if (type == null || !type.startsWith("application/grpc")) return route;
        Duration header = parse(request.header("grpc-timeout"));
        if (header == null) return route;
        if (route == null || route.isZero()) return header;
        return header.compareTo(route) < 0 ? header : route;
    }

    /** {@code 1..8 digits} and a unit (H, M, S, m, u, n), as the gRPC wire spec says; null when malformed. */
    static Duration parse(String value) {
        if (value == null || value.length() < 2 || value.length() > 9) return null;
        long n;
        try {
            n = Long.parseLong(value.substring(0, value.length() - 1));
        } catch (NumberFormatException e) {
            return null;
        }
        if (n < 0) return null;
        Duration d = switch (value.charAt(value.length() - 1)) {
            case 'H' -> Duration.ofHours(n);
            case 'M' -> Duration.ofMinutes(n);
            case 'S' -> Duration.ofSeconds(n);
            case 'm' -> Duration.ofMillis(n);
            case 'u' -> Duration.ofNanos(n * 1000);
            case 'n' -> Duration.ofNanos(n);
            default -> null;
        };
        // Below a millisecond the proxy's timers cannot go: round up, as a deadline must not be missed early.
        return d == null ? null : d.isZero() || d.toMillis() > 0 ? d : Duration.ofMillis(1);
    }
}
