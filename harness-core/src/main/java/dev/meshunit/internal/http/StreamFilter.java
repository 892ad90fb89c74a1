package dev.meshunit.internal.http;

import io.netty.buffer.ByteBuf;

/**
 * One filter of a stream's chain (Envoy's StreamFilter): it sees the request on its way upstream, in chain
 * order, and the response on its way downstream, in reverse order. A filter that returns {@link Status#STOP}
 * from {@link #decodeHeaders} holds the request until it calls {@link FilterCallbacks#continueDecoding}
 * (or answers it with a local reply); body that arrives meanwhile is kept in {@link FilterCallbacks#body}.
 * Confined to the stream's event loop.
 */
public interface StreamFilter {
    enum Status { CONTINUE, STOP }

    /** The request head, with the body read so far in {@link FilterCallbacks#body}. */
    default Status decodeHeaders(RequestHead request) {
        return Status.CONTINUE;
    }

    /** A piece of the request body, after the stream added it to {@link FilterCallbacks#body}; not owned. */
    default void decodeData(ByteBuf data, boolean endStream) {}

    /** The response head on its way downstream; {@code local} for the proxy's own answers. */
    default void encodeHeaders(ResponseHead response, boolean local) {}

    /** A piece of the upstream's response body on its way downstream; not owned. */
    default void encodeData(ByteBuf data, boolean endStream) {}

    /** The client's connection can take more (true) or has a full write buffer (false). */
    default void onDownstreamWatermark(boolean writable) {}

    /** The downstream connection read what it had: flush what went upstream. */
    default void onDownstreamReadComplete() {}

    /** The stream is cut short (client gone, protocol error): stop what is under way, say why. */
    default void onReset(String reason) {}

    /** The exchange is about to be journalled. */
    default void onLog(StreamInfo info) {}

    /** The stream is over; free what the filter holds. Called once. */
    default void onDestroy() {}
}
