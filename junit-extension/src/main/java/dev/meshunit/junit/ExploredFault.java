package dev.meshunit.junit;

/**
 * The catalogue {@link ExploreFaults} injects, one fault on one call at a time. Each is a test fault of the proxy
 * (the request never reaches the dependency for an abort; it waits before going on for a delay), so it works for
 * any client in any language.
 *
 * <p>{@link #CONNECTION_RESET} and {@link #GRPC_UNAVAILABLE} are opt-in (name them in {@link ExploreFaults#faults()}):
 * the default catalogue stays the three HTTP answers.
 */
public enum ExploredFault {
    /** The proxy answers 503 (flag FI), as a dependency that is down or overloaded. */
    ABORT_503("abort 503"),
    /** The proxy answers 500, as a dependency that fails. */
    ABORT_500("abort 500"),
    /** The call waits one and a half times {@link ExploreFaults#budget()} before it goes on: past the caller's timeout. */
    DELAY("delay"),
    /**
     * The proxy resets the caller's connection (TCP RST) before any byte of the answer (flags FI, LR;
     * {@code fault.http} {@code reset_before_answer}), as a dependency that crashed mid-call.
     */
    CONNECTION_RESET("connection reset"),
    /**
     * The proxy answers a gRPC call trailers-only with {@code grpc-status} 14 (flag FI), as Istio's
     * {@code abort.grpcStatus: UNAVAILABLE}: a gRPC dependency that is down.
     */
    GRPC_UNAVAILABLE("grpc UNAVAILABLE");

    private final String label;

    ExploredFault(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
