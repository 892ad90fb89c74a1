package dev.meshunit.chaos;

import java.time.Instant;
import java.util.List;

/**
 * One proxied connection as the journal saw it. Byte counts are bytes delivered: {@code bytesUp}
 * written to the upstream, {@code bytesDown} written to the client. {@code toxicsApplied} names
 * each toxic that was drawn active on the connection, as {@code name(type,stream)}. {@code end}
 * and {@code endReason} are null while the connection is open.
 */
public record TcpConnectionRecord(
        long id,
        String proxy,
        String client,
        String upstream,
        Instant start,
        Instant end,
        long bytesUp,
        long bytesDown,
        List<String> toxicsApplied,
        EndReason endReason) {
    public TcpConnectionRecord {
        toxicsApplied = List.copyOf(toxicsApplied);
    }

    public boolean open() {
        return endReason == null;
    }
}
