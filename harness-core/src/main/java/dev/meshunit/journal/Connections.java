package dev.meshunit.journal;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The journal's side of {@code tcp:} and {@code tls:} routes: every proxied connection, recorded when both of
 * its sides have closed. Bounded like the journal (oldest dropped first). Thread-safe.
 */
public final class Connections {
    private final int capacity;
    private final ArrayDeque<Connection> connections = new ArrayDeque<>();
    private final List<Consumer<Connection>> listeners = new CopyOnWriteArrayList<>();
    private long recorded;
    private long lastIdBeforeReset;

    Connections(int capacity) {
        this.capacity = capacity;
    }

    void record(Connection c) {
        synchronized (this) {
            // Opened before the last reset: it belongs to the journal that was cleared.
            if (c.id() <= lastIdBeforeReset) return;
            if (connections.size() == capacity) connections.removeFirst();
            connections.addLast(c);
            recorded++;
        }
        for (Consumer<Connection> l : listeners) l.accept(c);
    }

    /** The retained connections, in the order they ended. */
    public synchronized List<Connection> all() {
        return List.copyOf(connections);
    }

    /** Every connection ever recorded, including those dropped past the capacity. */
    public synchronized long recorded() {
        return recorded;
    }

    /** Called on the recording thread after each connection ended; keep it short. */
    public Runnable onRecord(Consumer<Connection> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    synchronized void reset(long lastId) {
        connections.clear();
        recorded = 0;
        lastIdBeforeReset = lastId;
    }
}
