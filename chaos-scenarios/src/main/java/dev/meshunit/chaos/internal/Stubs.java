package dev.meshunit.chaos.internal;

import dev.meshunit.chaos.EndReason;
import dev.meshunit.chaos.Toxic;
import java.util.concurrent.TimeUnit;

/** The stub for each toxic; small enough to sit together, one per Toxiproxy {@code toxics/*.go} file. */
final class Stubs {
    private Stubs() {
    }

    static final ToxicStub PASS_THROUGH = ctx -> {
        ctx.emitAll();
        ctx.done();
    };

    static ToxicStub create(Toxic toxic) {
        if (toxic instanceof Toxic.Latency t) {
            return new LatencyStub(t);
        } else if (toxic instanceof Toxic.Bandwidth t) {
            return new BandwidthStub(t);
        } else if (toxic instanceof Toxic.SlowClose t) {
            return slowClose(t);
        } else if (toxic instanceof Toxic.Timeout t) {
            return timeout(t);
        } else if (toxic instanceof Toxic.ResetPeer t) {
            return resetPeer(t);
        } else if (toxic instanceof Toxic.Slicer t) {
            return new SlicerStub(t);
        } else if (toxic instanceof Toxic.LimitData t) {
            return limitData(t);
        }
        throw new IllegalArgumentException("unknown toxic " + toxic);
    }

    private static ToxicStub slowClose(Toxic.SlowClose t) {
        return new ToxicStub() {
            @Override
            public void onChunk(StubContext ctx) {
                PASS_THROUGH.onChunk(ctx);
            }

            @Override
            public void onEnd(StubContext ctx) {
                ctx.schedule(t.delay(), TimeUnit.MILLISECONDS, ctx::emitEnd);
            }
        };
    }

    private static ToxicStub timeout(Toxic.Timeout t) {
        return new ToxicStub() {
            @Override
            public void onStart(StubContext ctx) {
                if (t.timeout() > 0) {
                    ctx.schedule(t.timeout(), TimeUnit.MILLISECONDS, () -> ctx.endStream(EndReason.TIMEOUT_TOXIC));
                }
            }

            @Override
            public void onChunk(StubContext ctx) {
                ctx.drop();
                ctx.done();
            }
        };
    }

    /** Toxiproxy consumes (drops) the chunk that triggers the reset and reads nothing after it. */
    private static ToxicStub resetPeer(Toxic.ResetPeer t) {
        return new ToxicStub() {
            @Override
            public void onChunk(StubContext ctx) {
                ctx.drop();
                ctx.schedule(t.timeout(), TimeUnit.MILLISECONDS, ctx::reset);
            }

            @Override
            public void onEnd(StubContext ctx) {
                ctx.schedule(t.timeout(), TimeUnit.MILLISECONDS, ctx::reset);
            }
        };
    }

    private static ToxicStub limitData(Toxic.LimitData t) {
        return ctx -> {
            long[] transmitted = ctx.state(() -> new long[1]);
            long remaining = t.bytes() - transmitted[0];
            int readable = ctx.current().data().readableBytes();
            if (remaining > 0) {
                int n = (int) Math.min(remaining, readable);
                ctx.emitHead(n);
                transmitted[0] += n;
            }
            ctx.drop();
            if (t.bytes() - transmitted[0] <= 0) {
                ctx.endStream(EndReason.LIMIT_DATA);
            } else {
                ctx.done();
            }
        };
    }
}
