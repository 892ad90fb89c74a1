package dev.meshunit.internal.http;

import dev.meshunit.internal.time.Scheduler;
import io.netty.buffer.ByteBuf;

/** What a filter may ask of its stream (Envoy's StreamDecoderFilterCallbacks); codec-independent. */
public interface FilterCallbacks {
    /** Resumes the chain after this filter returned STOP. */
    void continueDecoding();

    /** Answers the request from the proxy; ignored once the stream is over. */
    void sendLocalReply(LocalReply reply);

    /** The response head from upstream (the router's), through the encoder filters to the client. */
    void encodeHeaders(ResponseHead head);

    /** Upstream response body to the client; the stream owns {@code data} from here. */
    void encodeData(ByteBuf data, boolean endStream, HeaderMap trailers);

    /**
     * The upstream answered an upgrade request with 101: the head goes to the client through the filters, the
     * stream ends (journalled with status 101) and both connections become one byte tunnel, journalled when it
     * closes. {@code upstream} hands over its connection.
     */
    void upgrade(ResponseHead head, dev.meshunit.internal.router.Attempt upstream);

    /** Cuts the client's connection after what was written (the answer is already under way). */
    void resetStream();

    /**
     * Ends the client's connection in a way no well-behaved server would (a fault): after what was written, a
     * reset, a close, or a line that is no status line. The stream is journalled and over.
     */
    void breakDownstream(StreamEncoder.Break how);

    void flushDownstream();

    /** A header map of the downstream codec's kind, for a head the proxy makes. */
    HeaderMap newHeaders();

    boolean downstreamWritable();

    /** Stops (true) or resumes (false) reading the request; one hold per stream, counted by the connection. */
    void holdRequestBody(boolean hold);

    StreamInfo info();

    RequestBody body();

    /** Timers on the stream's event loop and the proxy's time. */
    Scheduler.Timers timers();

    /** Whether the stream ended (its answer is out or it was reset). */
    boolean done();
}
