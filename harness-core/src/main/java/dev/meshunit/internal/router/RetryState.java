package dev.meshunit.internal.router;

import dev.meshunit.journal.ResponseFlag;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * Envoy's RetryState of one request: the route's policy with the request's overrides
 * ({@code x-envoy-max-retries}, {@code x-envoy-upstream-rq-per-try-timeout-ms}), the attempts made, the
 * cluster's retry slot held while a retry waits for its back-off, and the back-off itself. It answers, for
 * each answer or failure of an attempt, whether to retry and after how long, or to give up with which flags.
 * Knows nothing of connections or codecs. Confined to the stream's event loop.
 */
public final class RetryState {
    /** What the router does after an attempt. */
    public sealed interface Decision {
        /** Try again after {@code afterMillis} of back-off. */
        record Retry(long afterMillis) implements Decision {}

        /** Pass the answer (or the failure's local reply) on, adding {@code flags} to the exchange. */
        record GiveUp(Set<ResponseFlag> flags) implements Decision {
            public GiveUp {
                flags = flags.isEmpty() ? Set.of() : Set.copyOf(flags);
            }
        }
    }

    /** Takes the cluster's retry slot ({@code maxRetries} or the retry budget); null when it has none. */
    @FunctionalInterface
    public interface RetrySlots {
        Releasable tryRetry();
    }

    /** A slot to give back; releasing twice gives back once. */
    @FunctionalInterface
    public interface Releasable {
        void release();
    }

    private final RetryPolicy policy;
    private final RetrySlots slots;
    private final RandomGenerator random;
    private Backoff backoff;
    private Releasable slot;
    private int attempts;
    private boolean replayable = true;

    private RetryState(RetryPolicy policy, RetrySlots slots, RandomGenerator random) {
        this.policy = policy;
        this.slots = slots;
        this.random = random;
    }

    /**
     * @param header the request's headers by name (null when absent)
     * @param slots  the destination cluster's retry limit
     */
    public static RetryState of(RetryPolicy route, Function<String, String> header, RetrySlots slots,
                                RandomGenerator random) {
        return new RetryState(withOverrides(route, header), slots, random);
    }

    /** Retries whose slots are {@code target}'s circuit breakers' (none needed when the cluster does not exist: NC). */
    static RetryState forCluster(RetryPolicy route, Function<String, String> header,
                                 dev.meshunit.internal.upstream.Cluster target, RandomGenerator random) {
        return of(route, header, target == null ? () -> () -> {} : () -> {
            dev.meshunit.internal.upstream.CircuitBreakers.Slot slot = target.breakers().tryRetry();
            return slot == null ? null : slot::release;
        }, random);
    }

    private static RetryPolicy withOverrides(RetryPolicy policy, Function<String, String> header) {
        Duration perTry = EnvoyHeaders.millis(header.apply(EnvoyHeaders.PER_TRY_TIMEOUT_MS), policy.perTryTimeout());
        Integer max = EnvoyHeaders.count(header.apply(EnvoyHeaders.MAX_RETRIES));
        int retries = max == null ? policy.numRetries() : max;
        if (perTry == policy.perTryTimeout() && retries == policy.numRetries()) return policy;
        return new RetryPolicy(retries, perTry, policy.conditions(), policy.statusCodes(), policy.backoffBase(),
                policy.ignorePreviousHosts());
    }

    /** The policy in force, overrides applied. */
    public RetryPolicy policy() {
        return policy;
    }

    /** A new attempt (the first, or a retry whose back-off is over): a retry gives its slot back now. */
    public void attemptStarted() {
        releaseSlot();
        attempts++;
    }

    /** Attempts started so far. */
    public int attempts() {
        return attempts;
    }

    /** The body grew past what is kept for replay: no attempt can be repeated any more. */
    public void bodyNotReplayable() {
        replayable = false;
    }

    /** The attempt got a response head with {@code status} (and {@code grpc-status}, or null). */
    public Decision onResponse(int status, String grpcStatus) {
        return decide(policy.retriableStatus(status, grpcStatus), EnumSet.noneOf(ResponseFlag.class));
    }

    /** The attempt ended without a response head; the flags given up with include the failure's own. */
    public Decision onFailure(UpstreamFailure failure) {
        return decide(policy.retriableFailure(failure), EnumSet.of(failure.flag()));
    }

    private Decision decide(boolean retriable, EnumSet<ResponseFlag> flags) {
        if (retriable && retriesLeft()) {
            Releasable taken = slots.tryRetry();
            if (taken != null) {
                slot = taken;
                if (backoff == null) backoff = new Backoff(policy.backoffBase(), policy.backoffMax());
                return new Decision.Retry(backoff.nextMillis(random));
            }
            // The cluster's maxRetries: the retry is not made, and the answer is flagged as an overflow.
            flags.add(ResponseFlag.UO);
        }
        if (retriable && retriesExhausted()) flags.add(ResponseFlag.URX);
        return new Decision.GiveUp(flags);
    }

    private boolean retriesLeft() {
        return attempts <= policy.numRetries() && replayable;
    }

    /** Envoy's URX: every retry the policy allows was made (not: retrying was given up, e.g. for a large body). */
    private boolean retriesExhausted() {
        return policy.numRetries() > 0 && attempts > policy.numRetries();
    }

    /** The stream ended: a slot held for a back-off goes back. */
    public void release() {
        releaseSlot();
    }

    private void releaseSlot() {
        if (slot != null) slot.release();
        slot = null;
    }
}
