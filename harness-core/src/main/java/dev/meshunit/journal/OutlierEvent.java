package dev.meshunit.journal;

import java.time.Instant;

/** What a cluster's outlier detector decided about an endpoint, in the order it happened. */
public sealed interface OutlierEvent permits OutlierEvent.Ejected, OutlierEvent.Returned {
    /** {@code address:port}, as attempts name it. */
    String endpoint();

    /** Envoy's cluster name, {@code outbound|9080|v1|reviews.default.svc.cluster.local}. */
    String cluster();

    Instant at();

    /**
     * @param reason what tripped: {@code consecutive_5xx}, {@code consecutive_gateway_failure} or
     *     {@code consecutive_local_origin_failure} (Envoy's ejection types)
     * @param ejections how often this cluster has ejected the endpoint, this time included
     * @param until when the endpoint may return (at the first sweep from then on)
     */
    record Ejected(String endpoint, String cluster, Instant at, String reason, int ejections, Instant until)
            implements OutlierEvent {}

    record Returned(String endpoint, String cluster, Instant at) implements OutlierEvent {}
}
