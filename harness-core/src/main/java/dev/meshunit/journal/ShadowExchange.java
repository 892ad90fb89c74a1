package dev.meshunit.journal;

import java.time.Instant;
import java.util.Set;

/**
 * One mirrored copy of a request (Istio's {@code mirror}/{@code mirrors}), linked to the exchange it copies
 * by {@code primaryId}. {@code authority} is the copy's Host, suffixed {@code -shadow}. {@code status} is 0
 * when no answer came; then {@code note} says why (connect failure, reset, timeout, or why the copy was
 * never sent: body over the mirror bound, too many copies in flight, no endpoint). Istio discards the
 * shadow's answer; MeshUnit keeps it in {@code response} (headers always, body only as far as
 * {@code MeshProxy.Builder.recordBodies} allows; trailers, such as a gRPC answer's {@code grpc-status}, with the
 * headers) for comparison. The caller never sees it.
 */
public record ShadowExchange(
        long primaryId,
        Instant start,
        String method,
        String authority,
        String path,
        DestinationRef destination,
        String endpoint,
        int status,
        String note,
        Set<ResponseFlag> flags,
        double durationMs,
        RecordedResponse response) {

    public ShadowExchange {
        flags = Set.copyOf(flags);
    }

    /** Whether the copy went out at all (it may still have failed). */
    public boolean sent() {
        return endpoint != null;
    }

    public String subset() {
        return destination == null ? null : destination.subset();
    }
}
