package dev.meshunit.journal;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One downstream request and what became of it. {@code route} and {@code destination} are null when no
 * route matched; {@code attempts} is empty when the request never reached an upstream (abort, local reply).
 * {@code requestHeaders} are the headers the proxy received from the client. {@code nearestRoute} says, for a
 * 404 NR, which route came closest and why it missed (as the answer's {@code x-meshunit-nearest-route}); else null.
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
        String nearestRoute) {

    /** An exchange that is no 404 NR. */
    public Exchange(long id, Instant start, String source, String method, String authority, String path,
            Map<String, List<String>> requestHeaders, RouteRef route, DestinationRef destination, List<Attempt> attempts,
            InjectedFault fault, int status, Set<ResponseFlag> flags, double durationMs) {
        this(id, start, source, method, authority, path, requestHeaders, route, destination, attempts, fault, status,
                flags, durationMs, null);
    }

    public Exchange {
        requestHeaders = Map.copyOf(requestHeaders);
        attempts = List.copyOf(attempts);
        flags = Set.copyOf(flags);
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
