package dev.meshunit.internal.netty;

import dev.meshunit.internal.time.Scheduler;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ConnectTimeoutException;

/**
 * A connect timeout on the proxy's scheduler rather than Netty's own (set {@code CONNECT_TIMEOUT_MILLIS} to 0),
 * so that it runs on the proxy's time: past the deadline the connecting channel is closed and the connect fails.
 */
public final class ConnectTimeout {
    private volatile boolean expired;

    private ConnectTimeout() {}

    /** Watches {@code connect}; the timer goes when the connect completes either way. */
    public static ConnectTimeout watch(Scheduler scheduler, ChannelFuture connect, long timeoutMs) {
        ConnectTimeout t = new ConnectTimeout();
        Scheduler.Timer timer = scheduler.schedule(connect.channel().eventLoop(), () -> {
            if (connect.isDone()) return;
            t.expired = true;
            connect.channel().close();
        }, timeoutMs);
        connect.addListener(done -> timer.cancel());
        return t;
    }

    /** Why the connect failed: the timeout when it expired, else Netty's cause. */
    public Throwable cause(ChannelFuture failed, long timeoutMs, String endpoint) {
        return expired ? new ConnectTimeoutException("connection timed out after " + timeoutMs + " ms: " + endpoint)
                : failed.cause();
    }
}
