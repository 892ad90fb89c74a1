package dev.meshunit.chaos.internal;

import dev.meshunit.chaos.Direction;
import dev.meshunit.chaos.EndReason;
import dev.meshunit.chaos.TcpConnectionRecord;
import dev.meshunit.chaos.ToxicSpec;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/** The journal entry of one connection, written from its event loop and read from anywhere. */
final class ConnectionLog {
    private final long id;
    private final String proxy;
    private final String client;
    private final String upstream;
    private final Instant start;
    private final Clock clock;
    private final AtomicLong bytesUp = new AtomicLong();
    private final AtomicLong bytesDown = new AtomicLong();
    private final List<String> toxics = new CopyOnWriteArrayList<>();
    private volatile EndReason reason;
    private volatile Instant end;

    ConnectionLog(long id, String proxy, String client, String upstream, Clock clock) {
        this.id = id;
        this.proxy = proxy;
        this.client = client;
        this.upstream = upstream;
        this.clock = clock;
        this.start = clock.instant();
    }

    void delivered(Direction direction, long bytes) {
        (direction == Direction.UPSTREAM ? bytesUp : bytesDown).addAndGet(bytes);
    }

    void applied(ToxicSpec toxic) {
        String entry = toxic.name() + "(" + toxic.toxic().type() + "," + toxic.stream().wireName() + ")";
        if (!toxics.contains(entry)) {
            toxics.add(entry);
        }
    }

    /** Records the first reason given; later ones are consequences. */
    synchronized void blame(EndReason endReason) {
        if (reason == null) {
            reason = endReason;
        }
    }

    synchronized void ended() {
        if (end == null) {
            end = clock.instant();
        }
    }

    synchronized TcpConnectionRecord snapshot() {
        return new TcpConnectionRecord(id, proxy, client, upstream, start, end, bytesUp.get(), bytesDown.get(),
                toxics, end == null ? null : reason);
    }
}
