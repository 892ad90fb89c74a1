package dev.meshunit.chaos.internal;

import dev.meshunit.chaos.EndReason;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** What a {@link ToxicStub} may do: consume the current chunk, schedule, end or reset the connection. */
interface StubContext {
    Chunk current();

    long nowNanos();

    Random random();

    /** Passes the first {@code bytes} of the current chunk on to the next stage. */
    void emitHead(int bytes);

    /** Passes what is left of the current chunk on to the next stage. */
    void emitAll();

    /** Discards what is left of the current chunk. */
    void drop();

    /** Ready for the next element; releases anything left of the current chunk. */
    void done();

    void emitEnd();

    /** Ends this direction here (later toxics still see the end), blaming {@code reason}. */
    void endStream(EndReason reason);

    /** Closes both sockets at once with SO_LINGER 0, so both peers see a TCP RST. */
    void reset();

    void schedule(long delay, TimeUnit unit, Runnable task);

    /** State of this toxic on this link that survives restarts of the chain (limit_data's count). */
    <T> T state(Supplier<T> initial);
}
