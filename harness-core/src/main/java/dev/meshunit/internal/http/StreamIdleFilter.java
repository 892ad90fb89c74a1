package dev.meshunit.internal.http;

import dev.meshunit.internal.time.Scheduler;
import dev.meshunit.journal.ResponseFlag;
import io.netty.buffer.ByteBuf;

/**
 * Envoy's stream idle timeout: a stream with no activity either way for the timeout is answered
 * {@code 504 stream timeout} (408 while the request is still coming), flag SI, or reset once its answer has
 * begun. First in the chain, so it sees every piece of the request and of the answer. One timer per stream,
 * re-armed only when it fires early: activity just moves the deadline.
 */
public final class StreamIdleFilter implements StreamFilter {
    public static final String BODY = "stream timeout";

    private final FilterCallbacks stream;
    private final Scheduler scheduler;
    private final long timeoutNanos;
    private final DownstreamCounters counters;
    private long lastActivity;
    private boolean answering;
    private Scheduler.Timer timer;

    public StreamIdleFilter(FilterCallbacks stream, Scheduler scheduler, java.time.Duration timeout, DownstreamCounters counters) {
        this.stream = stream;
        this.scheduler = scheduler;
        this.timeoutNanos = timeout.toNanos();
        this.counters = counters;
    }

    @Override
    public Status decodeHeaders(RequestHead request) {
        lastActivity = scheduler.nanoTime();
        arm(timeoutNanos);
        return Status.CONTINUE;
    }

    @Override
    public void decodeData(ByteBuf data, boolean endStream) {
        lastActivity = scheduler.nanoTime();
    }

    @Override
    public void encodeHeaders(ResponseHead response, boolean local) {
        answering = true;
        lastActivity = scheduler.nanoTime();
    }

    @Override
    public void encodeData(ByteBuf data, boolean endStream) {
        lastActivity = scheduler.nanoTime();
    }

    @Override
    public void onDestroy() {
        if (timer != null) timer.cancel();
        timer = null;
    }

    private void arm(long nanos) {
        timer = stream.timers().scheduleGuard(this::onTimer, Math.max(1, (nanos + 999_999) / 1_000_000));
    }

    private void onTimer() {
        timer = null;
        if (stream.done()) return;
        long idle = scheduler.nanoTime() - lastActivity;
        if (idle < timeoutNanos) {
            arm(timeoutNanos - idle);
            return;
        }
        counters.rqIdleTimeout.increment();
        stream.info().flags().add(ResponseFlag.SI);
        if (answering) {
            stream.resetStream();
        } else {
            stream.sendLocalReply(LocalReply.text(stream.body().complete() ? 504 : 408, BODY));
        }
    }
}
