package dev.meshunit.fault;

import java.util.Objects;

/** A test's fault: which requests, what goes wrong, and when. Applied before the route's own fault. */
public record FaultOverride(FaultMatch match, Fault fault, FaultTrigger trigger) {
    public FaultOverride {
        Objects.requireNonNull(match, "match");
        Objects.requireNonNull(fault, "fault");
        Objects.requireNonNull(trigger, "trigger");
    }

    public FaultOverride withMatch(FaultMatch next) {
        return new FaultOverride(next, fault, trigger);
    }

    public FaultOverride withTrigger(FaultTrigger next) {
        return new FaultOverride(match, fault, next);
    }
}
