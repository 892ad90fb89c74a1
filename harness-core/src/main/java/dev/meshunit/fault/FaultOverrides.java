package dev.meshunit.fault;

import dev.meshunit.routing.RequestView;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * A proxy's test-time faults, consulted by the fault filter before the route's own fault: the first override
 * that fires for a request replaces the route's fault for that request; when none fires, the route's fault
 * (from YAML) applies as usual. Every matching override counts the request, whether or not it fired, so
 * "the 3rd request to ratings" means the 3rd one whatever else happened to it. Thread-safe.
 */
public final class FaultOverrides {
    private final CopyOnWriteArrayList<Active> active;
    /** Refuses an override whose host the config does not declare (throws); null: accepts any. */
    private final Consumer<FaultOverride> check;

    public FaultOverrides() {
        this(new CopyOnWriteArrayList<>(), null);
    }

    private FaultOverrides(CopyOnWriteArrayList<Active> active, Consumer<FaultOverride> check) {
        this.active = active;
        this.check = check;
    }

    /**
     * The same overrides, seen through a view that runs {@code check} on every override added (e.g. refusing a
     * host the config does not declare) before it takes effect.
     */
    public FaultOverrides checking(Consumer<FaultOverride> check) {
        return new FaultOverrides(active, java.util.Objects.requireNonNull(check, "check"));
    }

    /** Delays every request to {@code host}; narrow it with the returned rule. */
    public FaultRule delay(String host, Duration delay) {
        return add(new FaultOverride(FaultMatch.host(host), Fault.delay(delay), FaultTrigger.ALWAYS));
    }

    /** Answers every request to {@code host} with {@code status}; narrow it with the returned rule. */
    public FaultRule abort(String host, int status) {
        return add(new FaultOverride(FaultMatch.host(host), Fault.abort(status), FaultTrigger.ALWAYS));
    }

    /**
     * Answers every gRPC call to {@code host} with {@code grpcStatus} (a name such as {@code UNAVAILABLE}, as
     * Istio's {@code abort.grpcStatus}); narrow it with the returned rule.
     */
    public FaultRule abortGrpc(String host, String grpcStatus) {
        return add(new FaultOverride(FaultMatch.host(host), Fault.grpcAbort(grpcStatus), FaultTrigger.ALWAYS));
    }

    /** Applies {@code fault} (e.g. {@link Fault.ResetBeforeAnswer}) to every request to {@code host}; narrow it. */
    public FaultRule inject(String host, Fault fault) {
        return add(new FaultOverride(FaultMatch.host(host), fault, FaultTrigger.ALWAYS));
    }

    public FaultRule add(FaultOverride override) {
        if (check != null) check.accept(override);
        Active a = new Active(override);
        active.add(a);
        return new FaultRule(this, a);
    }

    /** The overrides in the order they are consulted. */
    public List<FaultOverride> list() {
        return active.stream().map(a -> a.override).toList();
    }

    public boolean isEmpty() {
        return active.isEmpty();
    }

    /** Removes every override, e.g. when a test ends. */
    public void clear() {
        active.clear();
    }

    Active replace(Active old, FaultOverride next) {
        synchronized (active) {
            return replaceLocked(old, next);
        }
    }

    private Active replaceLocked(Active old, FaultOverride next) {
        int i = active.indexOf(old);
        if (i < 0) throw new IllegalStateException("this fault override was removed: " + old.override);
        Active a = new Active(next);
        active.set(i, a);
        return a;
    }

    void remove(Active a) {
        synchronized (active) {
            active.remove(a);
        }
    }

    /**
     * The fault for one request: the first override that fires, else the route's own fault.
     *
     * @param destinationHost the FQDN of the destination the route picked
     * @param subset the subset of that destination, or null
     */
    public FaultDecision decide(RequestView request, String destinationHost, String subset, FaultPolicy routeFault,
            RandomGenerator random) {
        if (active.isEmpty()) return routeFault.decide(random); // no override: no iterator per request
        FaultDecision fired = null;
        for (Active a : active) {
            if (!a.override.match().matches(request, destinationHost, subset)) continue;
            if (a.fires(request, random, fired != null) && fired == null) fired = a.override.fault().decision();
        }
        return fired != null ? fired : routeFault.decide(random);
    }

    /** Whether an override that matches this request keys its calls on the body, so the decision must wait for it. */
    public boolean needsBody(RequestView request, String destinationHost, String subset) {
        for (Active a : active) {
            if (a.override.trigger() instanceof FaultTrigger.FirstAttempts first && first.key().needsBody()
                    && a.override.match().matches(request, destinationHost, subset)) {
                return true;
            }
        }
        return false;
    }

    /** An override with the counts it keeps of the requests it matched. */
    static final class Active {
        final FaultOverride override;
        private final AtomicLong matched = new AtomicLong();
        private final ConcurrentHashMap<String, AtomicInteger> triesByCall = new ConcurrentHashMap<>();

        Active(FaultOverride override) {
            this.override = override;
        }

        /** Counts the request; draws a percentage only when no earlier override fired already. */
        boolean fires(RequestView request, RandomGenerator random, boolean decided) {
            long n = matched.incrementAndGet();
            FaultTrigger trigger = override.trigger();
            if (trigger instanceof FaultTrigger.Percentage p) {
                return !decided && FaultPolicy.fires(p.percent(), random);
            }
            if (trigger instanceof FaultTrigger.Requests r) {
                return r.covers(n);
            }
            FaultTrigger.FirstAttempts first = (FaultTrigger.FirstAttempts) trigger;
            String key = first.key().of(request);
            if (key == null) return true;
            return triesByCall.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet() <= first.attempts();
        }
    }
}
