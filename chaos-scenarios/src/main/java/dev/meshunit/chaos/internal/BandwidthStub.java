package dev.meshunit.chaos.internal;

import dev.meshunit.chaos.Toxic;
import java.util.concurrent.TimeUnit;

/**
 * Toxiproxy's bandwidth toxic: a chunk costs {@code size / rate} ms; chunks larger than 100 ms
 * worth are sent in 100 ms pieces. The debt is settled against measured time, so scheduling
 * overshoot does not accumulate. {@code rate == 0} holds the data until the toxic changes.
 */
final class BandwidthStub implements ToxicStub {
    private static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private final Toxic.Bandwidth toxic;
    private long debtNanos;

    BandwidthStub(Toxic.Bandwidth toxic) {
        this.toxic = toxic;
    }

    @Override
    public void onChunk(StubContext ctx) {
        if (toxic.rate() <= 0) {
            return;
        }
        debtNanos += ctx.current().data().readableBytes() * TimeUnit.MILLISECONDS.toNanos(1) / toxic.rate();
        sendNext(ctx);
    }

    private void sendNext(StubContext ctx) {
        long sliceBytes = toxic.rate() * 100;
        long start = ctx.nowNanos();
        if (ctx.current().data().readableBytes() > sliceBytes) {
            ctx.schedule(SLICE_NANOS, TimeUnit.NANOSECONDS, () -> {
                ctx.emitHead((int) sliceBytes);
                debtNanos -= ctx.nowNanos() - start;
                sendNext(ctx);
            });
            return;
        }
        ctx.schedule(Math.max(0, debtNanos), TimeUnit.NANOSECONDS, () -> {
            debtNanos -= ctx.nowNanos() - start;
            ctx.emitAll();
            ctx.done();
        });
    }
}
