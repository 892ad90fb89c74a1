package dev.meshunit.fault;

import java.time.Duration;

/**
 * What the fault filter does to one request: wait {@code delay} (zero for none), then answer
 * {@code abortStatus} itself (0 for no abort). A gRPC abort answers 200 with a {@code grpc-status}.
 */
public record FaultDecision(Duration delay, int abortStatus, String grpcStatus) {
    public static final FaultDecision NONE = new FaultDecision(Duration.ZERO, 0, null);

    public boolean delays() {
        return !delay.isZero();
    }

    public boolean aborts() {
        return abortStatus > 0;
    }
}
