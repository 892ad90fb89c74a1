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

    /** Cuts the client's connection after what was written (the answer is already under way). */
    void resetStream();

    void flushDownstream();

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
