package dev.meshunit.chaos.internal;

import io.netty.buffer.ByteBuf;

/** Bytes read from a socket together with when they were read (nanoTime), as Toxiproxy's StreamChunk. */
record Chunk(ByteBuf data, long timestampNanos) {
}
