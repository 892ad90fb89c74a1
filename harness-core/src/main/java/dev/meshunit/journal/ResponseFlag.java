package dev.meshunit.journal;

/** Envoy's access-log response flags, with the short code Envoy prints. */
public enum ResponseFlag {
    /** No route matched the request. */
    NR,
    /** The route's cluster does not exist (e.g. a subset no DestinationRule defines). */
    NC,
    /** No healthy upstream endpoint. */
    UH,
    /** Upstream connection failure. */
    UF,
    /** Upstream overflow: a circuit breaker refused the request. */
    UO,
    /** Retries exhausted: the answer is the last attempt's. */
    URX,
    /** Upstream request timeout (route timeout or the last per-try timeout). */
    UT,
    /** Upstream remote reset. */
    UR,
    /** Upstream connection termination. */
    UC,
    /** Upstream protocol error: the upstream answered something that is not HTTP/1.1. */
    UPE,
    /** Local reset. */
    LR,
    /** The request was delayed by fault injection. */
    DI,
    /** The request was aborted by fault injection. */
    FI,
    /** The downstream connection went away before the exchange completed. */
    DC,
    /** Downstream protocol error. */
    DPE,
    /** Stream idle timeout: no activity on the stream for the stream idle timeout. */
    SI,
    /** Overload manager: refused for lack of memory (here: unfinished request heads hold their budget). */
    OM;

    /** Envoy's rendering: the flags joined by commas, or "-" when there are none. */
    public static String render(java.util.Collection<ResponseFlag> flags) {
        if (flags.isEmpty()) return "-";
        StringBuilder b = new StringBuilder();
        for (ResponseFlag f : flags) {
            if (b.length() > 0) b.append(',');
            b.append(f.name());
        }
        return b.toString();
    }
}
