package dev.meshunit.internal.upstream;

import dev.meshunit.config.ConnectionPoolSettings;
import dev.meshunit.upstream.ClusterStats;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Envoy's cluster-wide circuit breakers and pool settings from {@code connectionPool}: counters shared by
 * every event loop of the proxy, and the queue of requests waiting for a connection. Zero or unset limits
 * are Istio's default, 2^32-1. Thread-safe.
 */
public final class CircuitBreakers {
    /** Istio's default for every threshold. */
    public static final long UNLIMITED = 0xFFFFFFFFL;

    /** A request waiting for a connection; {@link #wake} runs it again on its own event loop. */
    public interface Waiter {
        /** Returns false when the request is gone (it gave up), so that the next waiter is woken instead. */
        boolean wake();
    }

    private final long maxConnections;
    private final long maxPendingRequests;
    private final long maxRequests;
    private final long maxRetries;
    private final int maxRequestsPerConnection;
    private final int maxConcurrentStreams;
    private final Duration idleTimeout;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger retries = new AtomicInteger();
    private final AtomicLong connectionOverflows = new AtomicLong();
    private final AtomicLong pendingOverflows = new AtomicLong();
    private final AtomicLong requestOverflows = new AtomicLong();
    private final AtomicLong retryOverflows = new AtomicLong();
    private final ConcurrentLinkedDeque<Waiter> waiters = new ConcurrentLinkedDeque<>();
    private final double budgetPercent;
    private final int budgetMinConcurrency;

    public CircuitBreakers(ConnectionPoolSettings settings) {
        this(settings, null);
    }

    /**
     * With a {@code retryBudget}, the budget replaces {@code maxRetries} as Envoy does: retries in flight may be
     * {@code percent} (default 20) of the active requests, and at least {@code minRetryConcurrency} (default 3).
     */
    public CircuitBreakers(ConnectionPoolSettings settings, dev.meshunit.config.RetryBudget budget) {
        this.budgetPercent = budget == null ? -1 : budget.percent() == null ? 20.0 : budget.percent();
        this.budgetMinConcurrency = budget == null || budget.minRetryConcurrency() == null ? 3 : budget.minRetryConcurrency();
        ConnectionPoolSettings.Tcp tcp = settings == null ? null : settings.tcp();
        ConnectionPoolSettings.Http http = settings == null ? null : settings.http();
        this.maxConnections = limit(tcp == null ? null : tcp.maxConnections());
        this.maxPendingRequests = limit(http == null ? null : http.http1MaxPendingRequests());
        this.maxRequests = limit(http == null ? null : http.http2MaxRequests());
        this.maxRetries = limit(http == null ? null : http.maxRetries());
        Integer perConnection = http == null ? null : http.maxRequestsPerConnection();
        this.maxRequestsPerConnection = perConnection == null || perConnection <= 0 ? 0 : perConnection;
        Integer streams = http == null ? null : http.maxConcurrentStreams();
        this.maxConcurrentStreams = streams == null || streams <= 0 ? Integer.MAX_VALUE : streams;
        this.idleTimeout = http == null || http.idleTimeout() == null || http.idleTimeout().isZero()
                ? null : http.idleTimeout();
    }

    private static long limit(Integer configured) {
        return configured == null || configured <= 0 ? UNLIMITED : configured;
    }

    /** Requests one connection may carry; 0 means no limit (1 means no keep-alive). */
    public int maxRequestsPerConnection() {
        return maxRequestsPerConnection;
    }

    /** Streams one HTTP/2 connection may carry at once ({@code maxConcurrentStreams}; Envoy's default 2^31-1). */
    public int maxConcurrentStreams() {
        return maxConcurrentStreams;
    }

    /** How long a pooled connection may stay idle; null when the 1 h default applies (not enforced). */
    public Duration idleTimeout() {
        return idleTimeout;
    }

    /**
     * One unit of a limit held by one owner: taking it and giving it back are paired here, and giving it back
     * twice gives it back once, so that every path that ends a request may release what it holds.
     */
    public static final class Slot {
        private final AtomicInteger counter;
        private final AtomicBoolean held = new AtomicBoolean(true);

        private Slot(AtomicInteger counter) {
            this.counter = counter;
        }

        public void release() {
            if (held.compareAndSet(true, false)) counter.decrementAndGet();
        }
    }

    private static Slot take(AtomicInteger counter, long max, AtomicLong overflows) {
        if (tryTake(counter, max)) return new Slot(counter);
        overflows.incrementAndGet();
        return null;
    }

    /** Admits a request to the cluster ({@code http2MaxRequests}); null is an overflow. */
    public Slot tryRequest() {
        return take(requests, maxRequests, requestOverflows);
    }

    /** Admits a request that must wait for a connection ({@code http1MaxPendingRequests}); null is an overflow. */
    public Slot tryPending() {
        return take(pending, maxPendingRequests, pendingOverflows);
    }

    /**
     * Takes a connection slot ({@code maxConnections}) for a connection about to be opened, or says the request
     * has to wait (false). The slot is the connection's: {@link #connectionClosed} gives it back.
     */
    public boolean tryConnection() {
        if (tryTake(connections, maxConnections)) return true;
        connectionOverflows.incrementAndGet();
        return false;
    }

    /** A connection closed: its slot goes to the first waiter still waiting. */
    public void connectionClosed() {
        connections.decrementAndGet();
        wakeOne();
    }

    /** Admits a retry ({@code maxRetries}, held while it waits for its back-off); null is an overflow. */
    public Slot tryRetry() {
        return take(retries, retryLimit(), retryOverflows);
    }

    /** {@code maxRetries}, or what the retry budget allows with the requests active now. */
    long retryLimit() {
        if (budgetPercent < 0) return maxRetries;
        return Math.max(budgetMinConcurrency, (long) Math.floor(requests.get() * budgetPercent / 100.0));
    }

    public void await(Waiter waiter) {
        waiters.addLast(waiter);
    }

    /** Puts a waiter that lost the race for a freed slot back at the head of the queue. */
    public void awaitAgain(Waiter waiter) {
        waiters.addFirst(waiter);
    }

    public boolean hasWaiters() {
        return !waiters.isEmpty();
    }

    /** The next waiter, or null. */
    public Waiter nextWaiter() {
        return waiters.pollFirst();
    }

    /** Takes a waiter that gave up off the queue; false when a wake-up already took it. */
    public boolean cancel(Waiter waiter) {
        return waiters.remove(waiter);
    }

    /**
     * Wakes the first waiter when a connection slot is free. Called right after queueing, it closes the gap in
     * which a connection on another loop closed between a failed {@link #tryConnection()} and the queueing.
     */
    public void wakeIfSlotFree() {
        if (connections.get() < maxConnections) wakeOne();
    }

    public void wakeOne() {
        Waiter w;
        while ((w = waiters.pollFirst()) != null) {
            if (w.wake()) return;
        }
    }

    private static boolean tryTake(AtomicInteger counter, long max) {
        while (true) {
            int now = counter.get();
            if (now >= max) return false;
            if (counter.compareAndSet(now, now + 1)) return true;
        }
    }

    /** The counters now, for stats. */
    public ClusterStats.Breakers snapshot() {
        return new ClusterStats.Breakers(connections.get(), pending.get(), requests.get(), retries.get(),
                connectionOverflows.get(), pendingOverflows.get(), requestOverflows.get(), retryOverflows.get());
    }
}
