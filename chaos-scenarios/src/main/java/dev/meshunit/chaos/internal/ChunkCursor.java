package dev.meshunit.chaos.internal;

/**
 * The part of a {@link StubContext} that consumes the current chunk: pieces are forwarded as
 * retained slices, what is dropped is reported, and the chunk is released when the stub is done.
 */
abstract class ChunkCursor implements StubContext {
    private Chunk current;

    /** Hands a chunk (now owned by the receiver) to whatever follows the stub. */
    abstract void forward(Chunk chunk);

    abstract void discarded(int bytes);

    /** The stub has finished with the current element. */
    abstract void ready();

    final void begin(Chunk chunk) {
        current = chunk;
    }

    /** Takes the current chunk back unconsumed, or null (it then belongs to the caller). */
    final Chunk takeCurrent() {
        Chunk taken = current;
        current = null;
        return taken;
    }

    @Override
    public final Chunk current() {
        return current;
    }

    @Override
    public final void emitHead(int bytes) {
        if (bytes > 0) {
            forward(new Chunk(current.data().readRetainedSlice(bytes), current.timestampNanos()));
        }
    }

    @Override
    public final void emitAll() {
        if (current.data().readableBytes() > 0) {
            forward(current);
        } else {
            current.data().release();
        }
        current = null;
    }

    @Override
    public final void drop() {
        discarded(current.data().readableBytes());
        current.data().skipBytes(current.data().readableBytes());
    }

    @Override
    public final void done() {
        releaseCurrent();
        ready();
    }

    /** Drops and releases whatever is left of the current chunk. */
    final void releaseCurrent() {
        if (current != null) {
            drop();
            current.data().release();
            current = null;
        }
    }
}
