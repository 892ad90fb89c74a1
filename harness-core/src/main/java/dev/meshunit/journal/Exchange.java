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
        Truncation truncation) {

    public Exchange {
        requestHeaders = Map.copyOf(requestHeaders);
        attempts = List.copyOf(attempts);
        flags = Set.copyOf(flags);
        truncation = truncation == null ? Truncation.NONE : truncation;
    }

    /** An exchange with every request header kept (the journal cuts them to its limits when it records it). */
    public Exchange(long id, Instant start, String source, String method, String authority, String path,
            Map<String, List<String>> requestHeaders, RouteRef route, DestinationRef destination, List<Attempt> attempts,
            InjectedFault fault, int status, Set<ResponseFlag> flags, double durationMs) {
        this(id, start, source, method, authority, path, requestHeaders, route, destination, attempts, fault, status,
                flags, durationMs, Truncation.NONE);
    }

    /** The same exchange with other request headers: those kept, and what was left out. */
    Exchange withHeaders(Map<String, List<String>> kept, Truncation cut) {
        return new Exchange(id, start, source, method, authority, path, kept, route, destination, attempts, fault,
                status, flags, durationMs, cut);
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
