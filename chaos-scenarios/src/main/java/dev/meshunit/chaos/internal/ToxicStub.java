package dev.meshunit.chaos.internal;

/**
 * The per-connection, per-direction behaviour of one toxic. A stub sees one element at a time:
 * {@link #onChunk} must eventually call {@link StubContext#done()} (possibly from a scheduled task)
 * before the next chunk is offered. Stubs run on the connection's event loop and never block.
 */
interface ToxicStub {
    default void onStart(StubContext ctx) {
    }

    void onChunk(StubContext ctx);

    default void onEnd(StubContext ctx) {
        ctx.emitEnd();
    }
}
