package dev.meshunit.journal;

import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The journal's side of mirroring: every shadow copy, and, when the proxy records bodies, the primary's
 * answer to each mirrored request, keyed by exchange id. Bounded like the journal, in number and in
 * estimated bytes (copies and answers together; oldest dropped first). Thread-safe.
 */
public final class Shadows {
    private final int capacity;
    private final long maxBytes;
    private long bytes;
    private final ArrayDeque<ShadowExchange> shadows = new ArrayDeque<>();
    private final Map<Long, RecordedResponse> primaries = new LinkedHashMap<>();
    private final List<Consumer<ShadowExchange>> listeners = new CopyOnWriteArrayList<>();
    private long recorded;

    Shadows(int capacity, long maxBytes) {
        this.capacity = capacity;
        this.maxBytes = maxBytes;
    }

    void record(ShadowExchange shadow) {
        long size = Footprint.of(shadow);
        synchronized (this) {
            if (shadows.size() == capacity) bytes -= Footprint.of(shadows.removeFirst());
            makeRoom(size);
            shadows.addLast(shadow);
            bytes += size;
            recorded++;
        }
        for (Consumer<ShadowExchange> l : listeners) l.accept(shadow);
    }

    /** Keeps the primary's answer to a mirrored request (only called when bodies are recorded). */
    synchronized void recordPrimary(long exchangeId, RecordedResponse response) {
        long size = Footprint.of(response);
        if (primaries.size() == capacity) dropOldestPrimary();
        makeRoom(size);
        RecordedResponse before = primaries.put(exchangeId, response);
        bytes += size - Footprint.of(before);
    }

    /** Drops the oldest copies, then the oldest answers, until {@code size} more bytes fit. */
    private void makeRoom(long size) {
        while (bytes + size > maxBytes && !shadows.isEmpty()) bytes -= Footprint.of(shadows.removeFirst());
        while (bytes + size > maxBytes && !primaries.isEmpty()) dropOldestPrimary();
    }

    private void dropOldestPrimary() {
        java.util.Iterator<RecordedResponse> oldest = primaries.values().iterator();
        bytes -= Footprint.of(oldest.next());
        oldest.remove();
    }

    /** The estimated heap bytes of the copies and answers retained now. */
    public synchronized long retainedBytes() {
        return bytes;
    }

    /** The retained shadow copies, in the order they ended. */
    public synchronized List<ShadowExchange> all() {
        return List.copyOf(shadows);
    }

    public synchronized List<ShadowExchange> of(long primaryId) {
        return shadows.stream().filter(s -> s.primaryId() == primaryId).toList();
    }

    /** The primary's answer to a mirrored request, or null when bodies are not recorded. */
    public synchronized RecordedResponse primary(long exchangeId) {
        return primaries.get(exchangeId);
    }

    /** Every shadow copy ever recorded, including those dropped past the capacity. */
    public synchronized long recorded() {
        return recorded;
    }

    /** Called on the recording thread after each shadow copy ended; keep it short. */
    public Runnable onRecord(Consumer<ShadowExchange> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    synchronized void reset() {
        shadows.clear();
        primaries.clear();
        bytes = 0;
        recorded = 0;
    }
}
