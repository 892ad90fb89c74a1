package dev.meshunit.internal.netty;

import io.netty.channel.Channel;

/**
 * The one owner of a downstream connection's reading, with a count of holds as Envoy's read-disable count:
 * the connection manager holds it while a pipelined request waits, the stream while its body has nowhere to
 * go. Reading resumes when the last hold is released. Confined to the connection's event loop.
 */
final class ReadDisable {
    private final Channel channel;
    private int holds;

    ReadDisable(Channel channel) {
        this.channel = channel;
    }

    void hold() {
        if (holds++ == 0) channel.config().setAutoRead(false);
    }

    void release() {
        if (holds == 0) return;
        if (--holds == 0) channel.config().setAutoRead(true);
    }

    /** Takes or gives back one hold. */
    void hold(boolean on) {
        if (on) {
            hold();
        } else {
            release();
        }
    }

    int holds() {
        return holds;
    }
}
