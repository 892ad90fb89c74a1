package dev.meshunit.internal.netty;

import dev.meshunit.internal.time.DeadlineTimer;
import dev.meshunit.internal.time.Scheduler;
import dev.meshunit.internal.upstream.Cluster;
import io.netty.channel.Channel;
import io.netty.handler.codec.http2.Http2FrameCodec;
import java.util.ArrayList;
import java.util.List;

/**
 * One HTTP/2 connection to an endpoint and the streams it carries: streams are reserved from the moment the
 * connection is asked for (so that requests arriving while it connects share it, as Envoy's pool does), up to
 * {@code maxConcurrentStreams} and the server's SETTINGS_MAX_CONCURRENT_STREAMS at once and
 * {@code maxRequestsPerConnection} in all. Confined to its event loop.
 */
final class Http2UpstreamConnection {
    final Channel channel;
    final Cluster cluster;
    final String key;
    /** Requests that reserved a stream before the connection was ready. */
    final List<Http2UpstreamRequest> starting = new ArrayList<>();
    boolean ready;
    int opened;
    int active;
    /** Made when it first goes idle; a new stream disarms it, going idle again arms it, neither schedules. */
    private DeadlineTimer idleTimer;

    Http2UpstreamConnection(Channel channel, Cluster cluster, String key) {
        this.channel = channel;
        this.cluster = cluster;
        this.key = key;
    }

    /** Whether a new stream may be reserved on this connection now. */
    boolean takesStreams() {
        return channel.isOpen() && !exhausted() && active < streamLimit();
    }

    /** Served its {@code maxRequestsPerConnection}: it takes no more streams and closes with its last one. */
    boolean exhausted() {
        int max = cluster.breakers().maxRequestsPerConnection();
        return max > 0 && opened >= max;
    }

    int streamLimit() {
        int limit = cluster.breakers().maxConcurrentStreams();
        Http2FrameCodec codec = ready ? channel.pipeline().get(Http2FrameCodec.class) : null;
        // The server's SETTINGS_MAX_CONCURRENT_STREAMS bounds the streams we may open.
        return codec == null ? limit : Math.min(limit, codec.connection().local().maxActiveStreams());
    }

    void reserve() {
        opened++;
        active++;
        if (idleTimer != null) idleTimer.disarm();
    }

    /** Gives back a reservation that never became a stream. */
    void unreserve() {
        opened--;
        active--;
    }

    /** A stream ended; true when the connection now carries none. */
    boolean release() {
        active--;
        return active == 0;
    }

    /** The connection closed: its idle timer goes, so the scheduler keeps nothing of it. */
    void closed() {
        if (idleTimer != null) idleTimer.cancel();
    }

    /** Closes the connection once it has carried no stream for {@code idleTimeout}, as Envoy's pool does. */
    void closeWhenIdle(Scheduler scheduler) {
        var timeout = cluster.breakers().idleTimeout();
        if (timeout == null) return;
        if (idleTimer == null) {
            idleTimer = DeadlineTimer.of(scheduler, channel.eventLoop(), () -> {
                if (active == 0) channel.close();
            });
        }
        idleTimer.arm(timeout.toMillis());
    }
}
