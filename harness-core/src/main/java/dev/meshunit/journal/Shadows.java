package dev.meshunit.journal;

import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The journal's side of mirroring: every shadow copy, and, when the proxy records bodies, the primary's
 * answer to each mirrored request, keyed by exchange id. Bounded like the journal (oldest dropped first).
 * Thread-safe.
 */
public final class Shadows {
    private final int capacity;
    private final ArrayDeque<ShadowExchange> shadows = new ArrayDeque<>();
    private final Map<Long, RecordedResponse> primaries = new LinkedHashMap<>();
    private final List<Consumer<ShadowExchange>> listeners = new CopyOnWriteArrayList<>();
    private long recorded;

    Shadows(int capacity) {
        this.capacity = capacity;
    }

    void record(ShadowExchange shadow) {
        synchronized (this) {
            if (shadows.size() == capacity) shadows.removeFirst();
            shadows.addLast(shadow);
            recorded++;
        }
        for (Consumer<ShadowExchange> l : listeners) l.accept(shadow);
    }

    /** Keeps the primary's answer to a mirrored request (only called when bodies are recorded). */
    synchronized void recordPrimary(long exchangeId, RecordedResponse response) {
        if (primaries.size() == capacity) primaries.remove(primaries.keySet().iterator().next());
        primaries.put(exchangeId, response);
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
        recorded = 0;
    }
}
