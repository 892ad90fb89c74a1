package dev.meshunit.internal.router;

import dev.meshunit.internal.http.HeaderMap;
import dev.meshunit.internal.http.ResponseHead;
import dev.meshunit.internal.router.UpstreamFailure;
import io.netty.buffer.ByteBuf;

/**
 * What one attempt tells whoever started it (the router, or a shadow), and nothing else: the connection is
 * ready, the answer's head and body, why it failed or was refused, and flow-control events. The attempt keeps
 * its own state (what it wrote, whether it got an answer); the callee decides what to do about it.
 */
public interface AttemptCallbacks {
    /** A connection is the attempt's: send the request. */
    void onUpstreamReady(Attempt attempt);

    /** The final response head (interim 1xx answers are not reported). */
    void onUpstreamHeaders(Attempt attempt, ResponseHead head);

    /** A piece of the response body, the callee's to release; the last one may carry trailers. */
    void onUpstreamData(Attempt attempt, ByteBuf data, boolean endStream, HeaderMap trailers);

    /** The attempt ended without a response head. */
    void onUpstreamFailure(Attempt attempt, UpstreamFailure failure, String detail);

    /** A circuit breaker refused the attempt before it used a connection. */
    void onUpstreamOverflow(Attempt attempt);

    /** The upstream connection read what it had: flush what went downstream. */
    default void onUpstreamReadComplete() {}

    /** The upstream connection's write buffer crossed a water mark. */
    default void onUpstreamWritabilityChanged(boolean writable) {}
}
