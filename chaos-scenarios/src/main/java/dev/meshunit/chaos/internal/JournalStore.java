package dev.meshunit.chaos.internal;

import dev.meshunit.chaos.TcpConnectionRecord;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/** Every connection of one server, in the order they were accepted. */
public final class JournalStore {
    private final Clock clock;
    private final AtomicLong ids = new AtomicLong();
    private final List<ConnectionLog> logs = new CopyOnWriteArrayList<>();

    public JournalStore(Clock clock) {
        this.clock = clock;
    }

    ConnectionLog open(String proxy, String client, String upstream) {
        ConnectionLog log = new ConnectionLog(ids.incrementAndGet(), proxy, client, upstream, clock);
        logs.add(log);
        return log;
    }

    public List<TcpConnectionRecord> snapshot() {
        return logs.stream().map(ConnectionLog::snapshot).toList();
    }

    public void clear() {
        logs.clear();
    }
}
