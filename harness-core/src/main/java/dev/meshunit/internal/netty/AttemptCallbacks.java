package dev.meshunit.internal.netty;

import dev.meshunit.router.UpstreamFailure;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;

/**
 * What one attempt tells the router that started it, and nothing else: the connection is ready, the answer's
 * head and body, why it failed or was refused, and flow-control events. The attempt keeps its own state
 * (what it wrote, whether it got an answer); the router decides what to do about it.
 */
interface AttemptCallbacks {
    /** A connection is the attempt's: write the request. */
    void onUpstreamReady(UpstreamRequest attempt);

    /** The final response head (interim 1xx answers are not reported). */
    void onUpstreamHeaders(UpstreamRequest attempt, HttpResponse head);

    /** A piece of the response body; the last one is a {@code LastHttpContent}. The callee owns it. */
    void onUpstreamData(UpstreamRequest attempt, HttpContent content);

    /** The attempt ended without a response head. */
    void onUpstreamFailure(UpstreamRequest attempt, UpstreamFailure failure, String detail);

    /** A circuit breaker refused the attempt before it used a connection. */
    void onUpstreamOverflow(UpstreamRequest attempt);

    /** The upstream connection read what it had: flush what went downstream. */
    void onUpstreamReadComplete();

    /** The upstream connection's write buffer crossed a water mark. */
    void onUpstreamWritabilityChanged(boolean writable);
}
