package dev.meshunit.fault;

import java.time.Duration;

/**
 * What the fault filter does to one request: wait {@code delay} (zero for none), then answer
 * {@code abortStatus} itself (0 for no abort), or break the answer ({@code broken}, null for none). A gRPC abort
 * answers 200 with a {@code grpc-status}.
 */
public record FaultDecision(Duration delay, int abortStatus, String grpcStatus, Fault.Broken broken) {
    public static final FaultDecision NONE = new FaultDecision(Duration.ZERO, 0, null);

    public FaultDecision(Duration delay, int abortStatus, String grpcStatus) {
        this(delay, abortStatus, grpcStatus, null);
    }

    public boolean delays() {
        return !delay.isZero();
    }

    public boolean aborts() {
        return abortStatus > 0;
    }

    public boolean breaks() {
        return broken != null;
    }
}
