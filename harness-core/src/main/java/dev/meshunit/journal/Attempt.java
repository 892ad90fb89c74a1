package dev.meshunit.journal;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One try of an exchange against one endpoint. {@code status} is 0 when no response head arrived; then
 * {@code error} says why (connection refused, reset, per-try timeout...).
 *
 * <p>{@code upstreamPath} and {@code upstreamHeaders} are the request target and headers as this attempt sent
 * them upstream (after rewrites and header mutation, with {@code x-envoy-attempt-count}); names lower-case,
 * the authority in {@code host}; capped by {@link JournalLimits} as the exchange's request headers are. Both are empty when the attempt never got a connection. {@code requestBody}
 * and {@code responseBody} hold the first bytes of what was sent and received, when
 * {@code MeshProxy.Builder.recordBodies} asks for them, else null.
 */
public record Attempt(int number, String endpoint, int status, String error, Set<ResponseFlag> flags, double durationMs,
                      String upstreamPath, Map<String, List<String>> upstreamHeaders, RecordedBody requestBody,
                      RecordedBody responseBody) {
    public Attempt {
        flags = flags.isEmpty() ? Set.of() : Set.copyOf(flags);
        upstreamPath = upstreamPath == null ? "" : upstreamPath;
        upstreamHeaders = upstreamHeaders == null ? Map.of()
                : upstreamHeaders instanceof JournalHeaders ? upstreamHeaders : Map.copyOf(upstreamHeaders);
    }

    /** An attempt without what it sent (the form before upstream headers were journalled). */
    public Attempt(int number, String endpoint, int status, String error, Set<ResponseFlag> flags, double durationMs) {
        this(number, endpoint, status, error, flags, durationMs, "", Map.of(), null, null);
    }

    public boolean responded() {
        return status > 0;
    }

    /** The first value of a request header as sent upstream, or null. */
    public String upstreamHeader(String name) {
        List<String> v = upstreamHeaders.get(name.toLowerCase(Locale.ROOT));
        return v == null || v.isEmpty() ? null : v.get(0);
    }
}
