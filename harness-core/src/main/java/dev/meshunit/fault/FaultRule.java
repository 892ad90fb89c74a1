package dev.meshunit.fault;

import java.util.Arrays;

/**
 * A live handle on one fault override: each method narrows or re-times it in place (its counts start again),
 * so set it up before sending traffic. {@code faults.abort("ratings", 503).subset("v2").requests(3, 7)}.
 */
public final class FaultRule {
    private final FaultOverrides owner;
    private FaultOverrides.Active current;

    FaultRule(FaultOverrides owner, FaultOverrides.Active current) {
        this.owner = owner;
        this.current = current;
    }

    public FaultOverride override() {
        return current.override;
    }

    public FaultRule subset(String subset) {
        return match(current.override.match().withSubset(subset));
    }

    public FaultRule pathPrefix(String prefix) {
        return match(current.override.match().withPathPrefix(prefix));
    }

    /** Only requests with this header value, as {@code name=value}. */
    public FaultRule header(String nameEqualsValue) {
        return match(current.override.match().withHeader(nameEqualsValue));
    }

    public FaultRule percentage(double percent) {
        return trigger(new FaultTrigger.Percentage(percent));
    }

    /** Only these matching requests, counted from 1. */
    public FaultRule requests(long... numbers) {
        if (numbers.length == 0) throw new IllegalArgumentException("name at least one request number");
        return trigger(FaultTrigger.Requests.numbers(Arrays.copyOf(numbers, numbers.length)));
    }

    /** Matching requests {@code first} to {@code last}, both included, counted from 1. */
    public FaultRule requestsBetween(long first, long last) {
        return trigger(FaultTrigger.Requests.between(first, last));
    }

    /** The first {@code attempts} tries of every call, a call being method, authority and path. */
    public FaultRule firstAttempts(int attempts) {
        return firstAttempts(attempts, CallKey.methodAndPath());
    }

    /** The first {@code attempts} tries of every call, a call being what {@code key} says. */
    public FaultRule firstAttempts(int attempts, CallKey key) {
        return trigger(new FaultTrigger.FirstAttempts(attempts, key));
    }

    public void remove() {
        owner.remove(current);
    }

    private FaultRule match(FaultMatch next) {
        current = owner.replace(current, current.override.withMatch(next));
        return this;
    }

    private FaultRule trigger(FaultTrigger next) {
        current = owner.replace(current, current.override.withTrigger(next));
        return this;
    }

    @Override
    public String toString() {
        return current.override.toString();
    }
}
