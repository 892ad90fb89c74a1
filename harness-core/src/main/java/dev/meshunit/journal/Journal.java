package dev.meshunit.journal;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Every exchange the proxy completed, oldest first: what a test reads. Only the proxy writes it, through its
 * {@link JournalWriter}. Memory is bounded: past {@code capacity} exchanges, or past
 * {@link JournalLimits#maxBytes()} of them, the oldest details are dropped while the counters keep counting, and
 * {@link #dropped()} says how many went. Each exchange's stored headers are cut to the {@link JournalLimits}
 * ({@link Exchange#truncation()} says what went). Thread-safe; event loops append, tests read.
 */
public final class Journal {
    private final int capacity;
    private final JournalLimits limits;
    private final long seed;
    private final PackedExchanges exchanges = new PackedExchanges(); // with each one's estimate: dropping needs no walk
    private final AtomicLong ids = new AtomicLong();
    private final List<Consumer<Exchange>> listeners = new CopyOnWriteArrayList<>();
    private final Map<DestinationRef, Counters> byCluster = new HashMap<>();
    private final Map<String, Counters> byEndpoint = new HashMap<>();
    private final List<OutlierEvent> events = new java.util.ArrayList<>();
    private final Shadows shadows;
    private final Connections connections;
    private long recorded;
    private long dropped;
    private long lastIdBeforeReset;
    private long straddled;
    private long retainedBytes;
    // What the last read unpacked: the exchanges of sequence numbers (recorded before them) cacheFirst onwards (reset
    // empties it). A reader unpacks only what came after it, so that a test waiting for exchanges as they arrive
    // does not unpack the whole journal on each.
    private long cacheFirst;
    private List<Exchange> cache = List.of();

    /** The key under which requests that matched no route are counted. */
    public static final DestinationRef NO_ROUTE = new DestinationRef(null, null, 0);

    Journal(int capacity, long seed) {
        this(capacity, seed, JournalLimits.DEFAULT);
    }

    Journal(int capacity, long seed, JournalLimits limits) {
        if (capacity < 1) throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
        this.capacity = capacity;
        this.limits = java.util.Objects.requireNonNull(limits, "limits");
        this.seed = seed;
        this.shadows = new Shadows(capacity, limits.maxBytes());
        this.connections = new Connections(capacity);
    }

    /** The seed of the proxy's random source: re-run with it to get the same weighted picks and jitter. */
    public long seed() {
        return seed;
    }

    public int capacity() {
        return capacity;
    }

    public JournalLimits limits() {
        return limits;
    }

    /** The estimated heap bytes of the exchanges retained now (at most {@link JournalLimits#maxBytes()}). */
    public synchronized long retainedBytes() {
        return retainedBytes;
    }

    long nextId() {
        return ids.incrementAndGet();
    }

    void record(Exchange received) {
        Exchange exchange = HeaderCap.apply(received, limits);
        long size = Footprint.of(exchange);
        synchronized (this) {
            if (exchange.id() <= lastIdBeforeReset) {
                // Began before the last reset (a request still in flight when a test ended): it belongs to
                // the journal that was cleared, not to the next test's.
                straddled++;
                return;
            }
            while (exchanges.size() > 0 && (exchanges.size() == capacity || retainedBytes + size > limits.maxBytes())) {
                retainedBytes -= exchanges.removeFirst();
                dropped++;
            }
            exchanges.addLast(exchange, size);
            retainedBytes += size;
            recorded++;
            count(exchange);
        }
        if (listeners.isEmpty()) return; // the common case: no iterator made
        for (Consumer<Exchange> listener : listeners) {
            listener.accept(exchange);
        }
    }

    private void count(Exchange e) {
        DestinationRef cluster = e.destination() == null ? NO_ROUTE : e.destination();
        byCluster.computeIfAbsent(cluster, k -> new Counters()).add(e.status());
        List<Attempt> attempts = e.attempts();
        for (int i = 0, n = attempts.size(); i < n; i++) { // indexed: no iterator per exchange
            Attempt a = attempts.get(i);
            if (a.endpoint() != null) byEndpoint.computeIfAbsent(a.endpoint(), k -> new Counters()).add(a.status());
        }
    }

    /** Records what an outlier detector decided; kept up to the journal's capacity, oldest dropped first. */
    synchronized void recordEvent(OutlierEvent event) {
        if (events.size() == capacity) events.remove(0);
        events.add(event);
    }

    /** Ejections and returns of endpoints, oldest first. */
    public synchronized List<OutlierEvent> events() {
        return List.copyOf(events);
    }

    /** The retained exchanges, oldest first (each call unpacks those recorded since the previous call's). */
    public synchronized List<Exchange> exchanges() {
        // Unpacked under the lock, straight from the chunks: a copy of the bytes to unpack outside it doubled a
        // full journal's memory for the read, which -Xmx64m did not always have (SmallHeapProcessTest).
        long first = recorded - exchanges.size(); // the sequence number of the oldest retained
        long cacheEnd = cacheFirst + cache.size();
        int from = 0;
        List<Exchange> all = new java.util.ArrayList<>(exchanges.size());
        if (cacheFirst <= first && first < cacheEnd) {
            all.addAll(cache.subList((int) (first - cacheFirst), cache.size()));
            from = (int) (cacheEnd - first);
        }
        for (int i = from; i < exchanges.size(); i++) all.add(exchanges.get(i));
        cache = java.util.Collections.unmodifiableList(all);
        cacheFirst = first;
        return cache;
    }

    public Stream<Exchange> stream() {
        return exchanges().stream();
    }

    public List<Exchange> select(Predicate<Exchange> filter) {
        return stream().filter(filter).toList();
    }

    /** Exchanges whose destination host is the given FQDN, or whose authority's host part is the given name. */
    public List<Exchange> forHost(String host) {
        return select(e -> (e.destination() != null && (e.destination().host().equals(host)
                || e.destination().host().startsWith(host + ".")))
                || hostOf(e.authority()).equals(host));
    }

    private static String hostOf(String authority) {
        if (authority == null) return "";
        int colon = authority.lastIndexOf(':');
        return colon > 0 && authority.indexOf(']') < colon ? authority.substring(0, colon) : authority;
    }

    /** All exchanges ever recorded, including those whose details were dropped. */
    public synchronized long recorded() {
        return recorded;
    }

    public synchronized long dropped() {
        return dropped;
    }

    /** Forgets every exchange and counter (ids keep increasing so that they stay unique). */
    public synchronized void reset() {
        lastIdBeforeReset = ids.get();
        exchanges.clear();
        cache = List.of();
        retainedBytes = 0;
        events.clear();
        byCluster.clear();
        byEndpoint.clear();
        recorded = 0;
        dropped = 0;
        straddled = 0;
        shadows.reset();
        connections.reset(lastIdBeforeReset);
    }

    /** Exchanges that began before the last reset and ended after it: counted here, not recorded. */
    public synchronized long endedAfterReset() {
        return straddled;
    }

    /** Counters per cluster, sorted by host, port and subset; {@link #NO_ROUTE} counts requests that matched no route. */
    public synchronized Map<DestinationRef, Counters.Snapshot> clusterCounters() {
        Map<DestinationRef, Counters.Snapshot> out = new java.util.LinkedHashMap<>();
        byCluster.entrySet().stream()
                .sorted(Map.Entry.comparingByKey(java.util.Comparator
                        .comparing(DestinationRef::host, java.util.Comparator.nullsFirst(java.util.Comparator.naturalOrder()))
                        .thenComparingInt(DestinationRef::port)
                        .thenComparing(DestinationRef::subset, java.util.Comparator.nullsFirst(java.util.Comparator.naturalOrder()))))
                .forEach(e -> out.put(e.getKey(), e.getValue().snapshot()));
        return out;
    }

    /** Counters per endpoint, sorted by endpoint. */
    public synchronized Map<String, Counters.Snapshot> endpointCounters() {
        Map<String, Counters.Snapshot> out = new TreeMap<>();
        byEndpoint.forEach((k, v) -> out.put(k, v.snapshot()));
        return out;
    }

    /** Called on the recording thread after each exchange; keep it short. */
    public Runnable onRecord(Consumer<Exchange> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** Mirrored copies of requests, linked to their exchanges, and the primaries' answers kept for comparison. */
    public Shadows shadows() {
        return shadows;
    }

    /** Connections that {@code tcp:} and {@code tls:} routes proxied; their ids come from {@link #nextId()}. */
    public Connections connections() {
        return connections;
    }
}
