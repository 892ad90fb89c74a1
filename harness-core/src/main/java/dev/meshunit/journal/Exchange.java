package dev.meshunit.journal;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One downstream request and what became of it. {@code route} and {@code destination} are null when no
 * route matched; {@code attempts} is empty when the request never reached an upstream (abort, local reply).
 * {@code requestHeaders} are the headers the proxy received from the client, as far as {@link JournalLimits}
 * allow: {@code truncation} says what was left out ({@link Truncation#NONE} when nothing was).
 * {@code protocol} is the client's
 * ({@code HTTP/1.1} or {@code HTTP/2}), {@code streamId} its HTTP/2 stream (0 for HTTP/1); {@code grpcStatus} and
 * {@code grpcMessage} are those the client got (from trailers, or the head of a trailers-only answer), null when
 * the answer carried none.
 * {@code nearestRoute} says, for a 404 NR, which route came closest and why it missed (as the answer's
 * {@code x-meshunit-nearest-route}); else null. {@code responseTrailers} are the trailers the client got (a gRPC
 * answer's {@code grpc-status}, {@code grpc-message} and whatever else the server sent after the body), empty when
 * the answer had none.
 */
public record Exchange(
        long id,
        Instant start,
        String source,
        String method,
        String authority,
        String path,
        Map<String, List<String>> requestHeaders,
        RouteRef route,
        DestinationRef destination,
        List<Attempt> attempts,
        InjectedFault fault,
        int status,
        Set<ResponseFlag> flags,
        double durationMs,
        Truncation truncation,
        String protocol,
        int streamId,
        String grpcStatus,
        String grpcMessage,
        String nearestRoute,
        Map<String, List<String>> responseTrailers) {

    /** An exchange whose answer had no trailers (the form before trailers were journalled). */
    public Exchange(long id, Instant start, String source, String method, String authority, String path,
                    Map<String, List<String>> requestHeaders, RouteRef route, DestinationRef destination,
                    List<Attempt> attempts, InjectedFault fault, int status, Set<ResponseFlag> flags, double durationMs,
                    Truncation truncation, String protocol, int streamId, String grpcStatus, String grpcMessage,
                    String nearestRoute) {
        this(id, start, source, method, authority, path, requestHeaders, route, destination, attempts, fault, status,
                flags, durationMs, truncation, protocol, streamId, grpcStatus, grpcMessage, nearestRoute, Map.of());
    }

    /** An HTTP/1.1 exchange that is no gRPC call, its headers cut as {@code truncation} says. */
    public Exchange(long id, Instant start, String source, String method, String authority, String path,
                    Map<String, List<String>> requestHeaders, RouteRef route, DestinationRef destination,
                    List<Attempt> attempts, InjectedFault fault, int status, Set<ResponseFlag> flags, double durationMs,
                    Truncation truncation) {
        this(id, start, source, method, authority, path, requestHeaders, route, destination, attempts, fault, status,
                flags, durationMs, truncation, "HTTP/1.1", 0, null, null, null);
    }

    /** An exchange with every request header kept (the journal cuts them to its limits when it records it). */
    public Exchange(long id, Instant start, String source, String method, String authority, String path,
                    Map<String, List<String>> requestHeaders, RouteRef route, DestinationRef destination,
                    List<Attempt> attempts, InjectedFault fault, int status, Set<ResponseFlag> flags, double durationMs,
                    String protocol, int streamId, String grpcStatus, String grpcMessage) {
        this(id, start, source, method, authority, path, requestHeaders, route, destination, attempts, fault, status,
                flags, durationMs, Truncation.NONE, protocol, streamId, grpcStatus, grpcMessage, null);
    }

    public Exchange {
        requestHeaders = requestHeaders instanceof JournalHeaders ? requestHeaders : Map.copyOf(requestHeaders);
        attempts = List.copyOf(attempts);
        flags = flags.isEmpty() ? Set.of() : Set.copyOf(flags);
        truncation = truncation == null ? Truncation.NONE : truncation;
        protocol = protocol == null ? "HTTP/1.1" : protocol;
        responseTrailers = responseTrailers == null ? Map.of() : Map.copyOf(responseTrailers);
    }

    /** An exchange that is no 404 NR, with every request header kept (the journal cuts them to its limits). */
    public Exchange(long id, Instant start, String source, String method, String authority, String path,
            Map<String, List<String>> requestHeaders, RouteRef route, DestinationRef destination, List<Attempt> attempts,
            InjectedFault fault, int status, Set<ResponseFlag> flags, double durationMs) {
        this(id, start, source, method, authority, path, requestHeaders, route, destination, attempts, fault, status,
                flags, durationMs, Truncation.NONE, "HTTP/1.1", 0, null, null, null);
    }

    /** The same exchange with other request headers (and attempts' upstream headers): those kept, and what was left out. */
    Exchange withHeaders(Map<String, List<String>> kept, List<Attempt> cappedAttempts, Truncation cut) {
        return new Exchange(id, start, source, method, authority, path, kept, route, destination, cappedAttempts, fault,
                status, flags, durationMs, cut, protocol, streamId, grpcStatus, grpcMessage, nearestRoute, responseTrailers);
    }

    private static final List<String> GRPC_NAMES = List.of("OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT",
            "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED",
            "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS",
            "UNAUTHENTICATED");

    /** The gRPC status by name ({@code UNAVAILABLE}), the code itself when unknown, null when there was none. */
    public String grpcStatusName() {
        if (grpcStatus == null) return null;
        try {
            int code = Integer.parseInt(grpcStatus.trim());
            return code >= 0 && code < GRPC_NAMES.size() ? GRPC_NAMES.get(code) : grpcStatus;
        } catch (NumberFormatException e) {
            return grpcStatus;
        }
    }

    /** Whether the client spoke HTTP/2 ({@code protocol} "HTTP/2"; {@code streamId} is then its stream). */
    public boolean http2() {
        return "HTTP/2".equals(protocol);
    }

    public boolean hasFlag(ResponseFlag flag) {
        return flags.contains(flag);
    }

    /** True when the client went away before the proxy answered. */
    public boolean downstreamGaveUp() {
        return flags.contains(ResponseFlag.DC);
    }

    public Attempt lastAttempt() {
        return attempts.isEmpty() ? null : attempts.get(attempts.size() - 1);
    }

    /** Retries are the attempts after the first. */
    public int retries() {
        return Math.max(0, attempts.size() - 1);
    }

    public String subset() {
        return destination == null ? null : destination.subset();
    }

    public String requestHeader(String name) {
        List<String> values = requestHeaders.get(name.toLowerCase(java.util.Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
