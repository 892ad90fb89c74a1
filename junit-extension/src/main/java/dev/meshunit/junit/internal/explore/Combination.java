package dev.meshunit.junit.internal.explore;

import dev.meshunit.fault.Fault;
import dev.meshunit.fault.FaultMatch;
import dev.meshunit.fault.FaultOverride;
import dev.meshunit.fault.FaultTrigger;
import dev.meshunit.junit.ExploredFault;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** The faults of one run, each on one call; none for the first run. */
public record Combination(List<Injection> injections) {
    public static final Combination NONE = new Combination(List.of());

    public Combination {
        injections = List.copyOf(injections);
    }

    /** One fault on one call. */
    public record Injection(ExploredCall call, ExploredFault fault) {
        public String describe(Duration delay) {
            return call + " × " + label(fault, delay);
        }

        /**
         * The proxy's test fault for this: every request to the call's service whose path starts with the call's
         * path, or that carries its call key (so a client's retries of the call are hit too).
         */
        FaultOverride override(Duration delay) {
            FaultMatch match = call.key() != null ? FaultMatch.host(call.service()).withHeader(call.keyHeader() + "=" + call.key())
                    : FaultMatch.host(call.service()).withPathPrefix(call.path());
            Fault f = switch (fault) {
                case ABORT_503 -> Fault.abort(503);
                case ABORT_500 -> Fault.abort(500);
                case DELAY -> Fault.delay(delay);
                case CONNECTION_RESET -> new Fault.ResetBeforeAnswer();
                case GRPC_UNAVAILABLE -> Fault.grpcAbort("UNAVAILABLE");
            };
            return new FaultOverride(match, f, FaultTrigger.ALWAYS);
        }
    }

    static String label(ExploredFault fault, Duration delay) {
        return fault == ExploredFault.DELAY ? "delay " + millis(delay) : fault.label();
    }

    static String millis(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms >= 1000 ? ms / 1000.0 + "s" : ms + "ms";
    }

    public boolean isBaseline() {
        return injections.isEmpty();
    }

    public List<FaultOverride> overrides(Duration delay) {
        return injections.stream().map(i -> i.override(delay)).toList();
    }

    /** Whether a call is one this run already puts a fault on. */
    boolean faults(ExploredCall call) {
        return injections.stream().anyMatch(i -> i.call().sameAs(call));
    }

    Combination plus(Injection i) {
        List<Injection> next = new ArrayList<>(injections);
        next.add(i);
        return new Combination(next);
    }

    public String describe(Duration delay) {
        if (isBaseline()) return "no faults (records the calls)";
        return injections.stream().map(i -> i.describe(delay)).collect(Collectors.joining(" + "));
    }
}
