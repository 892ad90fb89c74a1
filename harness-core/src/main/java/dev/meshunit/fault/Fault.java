package dev.meshunit.fault;

import java.time.Duration;
import java.util.Objects;

/**
 * What goes wrong with a request, independent of when ({@link FaultTrigger}) and of the transport that applies
 * it: a delay before the request goes on, a local answer with an error status, or both.
 */
public sealed interface Fault {

    /** The fault filter's decision for one request this fault hits. */
    FaultDecision decision();

    static Delay delay(Duration delay) {
        return new Delay(delay);
    }

    static Abort abort(int status) {
        return new Abort(status);
    }

    /** Waits, then lets the request go on. */
    record Delay(Duration delay) implements Fault {
        public Delay {
            checkDelay(delay);
        }

        @Override
        public FaultDecision decision() {
            return new FaultDecision(delay, 0, null);
        }
    }

    /** Answers locally with {@code status} (flag FI); the request never reaches an upstream. */
    record Abort(int status) implements Fault {
        public Abort {
            checkStatus(status);
        }

        @Override
        public FaultDecision decision() {
            return new FaultDecision(Duration.ZERO, status, null);
        }
    }

    /** Waits, then answers locally with {@code status}, as an Istio fault with both delay and abort does. */
    record DelayThenAbort(Duration delay, int status) implements Fault {
        public DelayThenAbort {
            checkDelay(delay);
            checkStatus(status);
        }

        @Override
        public FaultDecision decision() {
            return new FaultDecision(delay, status, null);
        }
    }

    private static void checkDelay(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative() || delay.isZero()) throw new IllegalArgumentException("delay must be > 0 (was " + delay + ")");
    }

    private static void checkStatus(int status) {
        if (status < 200 || status > 599) throw new IllegalArgumentException("abort status must be 200-599 (was " + status + ")");
    }
}
