package dev.meshunit.chaos.internal;

import dev.meshunit.chaos.Toxic;
import java.util.concurrent.TimeUnit;

/** Delays each chunk by latency plus jitter, minus the time it has already spent in the chain. */
final class LatencyStub implements ToxicStub {
    private final Toxic.Latency toxic;

    LatencyStub(Toxic.Latency toxic) {
        this.toxic = toxic;
    }

    @Override
    public void onChunk(StubContext ctx) {
        long delayMs = toxic.latency();
        if (toxic.jitter() > 0) {
            delayMs += nextLong(ctx, 2 * toxic.jitter()) - toxic.jitter();
        }
        long delayNanos = TimeUnit.MILLISECONDS.toNanos(delayMs) - (ctx.nowNanos() - ctx.current().timestampNanos());
        if (delayNanos <= 0) {
            ctx.emitAll();
            ctx.done();
            return;
        }
        ctx.schedule(delayNanos, TimeUnit.NANOSECONDS, () -> {
            ctx.emitAll();
            ctx.done();
        });
    }

    private static long nextLong(StubContext ctx, long bound) {
        synchronized (ctx.random()) {
            return (long) (ctx.random().nextDouble() * bound);
        }
    }
}
