package dev.meshunit.fault;

import java.time.Duration;
import java.util.Objects;

/**
 * What goes wrong with a request, independent of when ({@link FaultTrigger}) and of the transport that applies
 * it: a delay before the request goes on, a local answer with an error status, or both; or an answer broken at
 * HTTP level ({@link Broken}: a reset, an empty or malformed answer, a truncated or slow body).
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

    /** Answers a gRPC call locally with {@code grpcStatus} ({@link GrpcAbort}): Istio's {@code abort.grpcStatus}. */
    static GrpcAbort grpcAbort(String grpcStatus) {
        return new GrpcAbort(grpcStatus);
    }

    /**
     * Answers locally as Istio's {@code abort.grpcStatus} does (flag FI): trailers-only, HTTP 200 with
     * {@code grpc-status} (the code of the name, e.g. 14 for {@code UNAVAILABLE}) and {@code grpc-message}.
     */
    record GrpcAbort(String grpcStatus) implements Fault {
        /** gRPC's status names, each at its code. */
        public static final java.util.List<String> NAMES = java.util.List.of("OK", "CANCELLED", "UNKNOWN",
                "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED",
                "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL",
                "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED");

        public GrpcAbort {
            Objects.requireNonNull(grpcStatus, "grpcStatus");
            if (!NAMES.contains(grpcStatus)) {
                throw new IllegalArgumentException("unknown grpcStatus \"" + grpcStatus + "\"; allowed: " + String.join(", ", NAMES));
            }
        }

        /** The numeric code, as {@code grpc-status} carries it. */
        public int code() {
            return NAMES.indexOf(grpcStatus);
        }

        @Override
        public FaultDecision decision() {
            return new FaultDecision(Duration.ZERO, 200, grpcStatus);
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

    /**
     * An answer the proxy breaks itself, in place of the upstream's (the request never reaches an upstream), as
     * WireMock's and MockServer's faults do. Journalled with flag FI (and LR when the proxy resets the client's
     * connection) and {@link #marker()} in the exchange's fault.
     */
    sealed interface Broken extends Fault {
        /** The name the journal keeps in {@code fault.http}. */
        String marker();

        @Override
        default FaultDecision decision() {
            return new FaultDecision(Duration.ZERO, 0, null, this);
        }
    }

    /** The proxy resets the client's connection (TCP RST) before any byte of the answer. */
    record ResetBeforeAnswer() implements Broken {
        @Override
        public String marker() {
            return "reset_before_answer";
        }
    }

    /** The proxy sends a {@code status} head declaring a body, then resets the connection (TCP RST). */
    record ResetAfterHeaders(int status) implements Broken {
        public ResetAfterHeaders {
            checkStatus(status);
        }

        @Override
        public String marker() {
            return "reset_after_headers";
        }
    }

    /** The proxy closes the client's connection (FIN) without sending a byte. */
    record EmptyResponse() implements Broken {
        @Override
        public String marker() {
            return "empty_response";
        }
    }

    /** The proxy sends a line that is no HTTP status line, then closes the connection. */
    record MalformedStatusLine() implements Broken {
        @Override
        public String marker() {
            return "malformed_status_line";
        }
    }

    /** A 200 declaring {@code declaredLength} bytes of body, of which only {@code sentLength} come; then a close. */
    record TruncatedBody(int declaredLength, int sentLength) implements Broken {
        public TruncatedBody {
            if (sentLength < 0 || declaredLength <= sentLength) {
                throw new IllegalArgumentException("truncated body needs 0 <= sentLength < declaredLength (was "
                        + sentLength + " of " + declaredLength + ")");
            }
        }

        @Override
        public String marker() {
            return "truncated_body";
        }
    }

    /**
     * A 200 whose {@code length} bytes of body come {@code bytesPerInterval} at a time, one piece per
     * {@code interval} of the proxy's time (virtual time drives it); the head goes at once.
     */
    record SlowBody(int length, int bytesPerInterval, Duration interval) implements Broken {
        public SlowBody {
            if (length <= 0 || bytesPerInterval <= 0) {
                throw new IllegalArgumentException("slow body needs length > 0 and bytesPerInterval > 0 (was "
                        + length + ", " + bytesPerInterval + ")");
            }
            checkDelay(interval);
        }

        @Override
        public String marker() {
            return "slow_body";
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
