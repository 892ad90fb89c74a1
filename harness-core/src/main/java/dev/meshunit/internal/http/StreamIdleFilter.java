package dev.meshunit.internal.http;

import dev.meshunit.journal.ResponseFlag;
import io.netty.buffer.ByteBuf;

/**
 * Envoy's stream idle timeout: a stream with no activity either way for the timeout is answered
 * {@code 504 stream timeout} (408 while the request is still coming), flag SI, or reset once its answer has
 * begun. First in the chain, so it sees every piece of the request and of the answer. Activity just moves the
 * stream's deadline; the event loop's {@link StreamIdleTimeouts} holds the one timer, so a stream sets none.
 */
public final class StreamIdleFilter implements StreamFilter {
    public static final String BODY = "stream timeout";

    private final FilterCallbacks stream;
    private final StreamIdleTimeouts timeouts;
    private final DownstreamCounters counters;
    private boolean answering;
    /** For {@link StreamIdleTimeouts}: the last activity, in the scheduler's nanoseconds, and the stream's links. */
    long lastActivity;
    boolean linked;
    StreamIdleFilter prev;
    StreamIdleFilter next;

    public StreamIdleFilter(FilterCallbacks stream, StreamIdleTimeouts timeouts, DownstreamCounters counters) {
        this.stream = stream;
        this.timeouts = timeouts;
        this.counters = counters;
    }

    @Override
    public Status decodeHeaders(RequestHead request) {
        touch();
        timeouts.add(this);
        return Status.CONTINUE;
    }

    @Override
    public void decodeData(ByteBuf data, boolean endStream) {
        touch();
    }

    @Override
    public void encodeHeaders(ResponseHead response, boolean local) {
        answering = true;
        touch();
    }

    @Override
    public void encodeData(ByteBuf data, boolean endStream) {
        touch();
    }

    @Override
    public void onDestroy() {
        timeouts.remove(this);
    }

    boolean streamDone() {
        return stream.done();
    }

    private void touch() {
        lastActivity = timeouts.scheduler().nanoTime();
    }

    /** No activity for the timeout: the stream's answer, or its reset. */
    void onIdle() {
        if (stream.done()) return;
        counters.rqIdleTimeout.increment();
        stream.info().flags().add(ResponseFlag.SI);
        if (answering) {
            stream.resetStream();
        } else {
            stream.sendLocalReply(LocalReply.text(stream.body().complete() ? 504 : 408, BODY));
        }
    }
}
