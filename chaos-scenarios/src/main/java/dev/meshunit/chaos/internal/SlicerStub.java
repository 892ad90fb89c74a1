package dev.meshunit.chaos.internal;

import dev.meshunit.chaos.Toxic;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Bisects each chunk into pieces of about average_size ± size_variation, delay µs apart. */
final class SlicerStub implements ToxicStub {
    private final Toxic.Slicer toxic;

    SlicerStub(Toxic.Slicer toxic) {
        this.toxic = toxic;
    }

    @Override
    public void onChunk(StubContext ctx) {
        List<Integer> cuts = new ArrayList<>();
        cuts.add(0);
        synchronized (ctx.random()) {
            cut(ctx, 0, ctx.current().data().readableBytes(), cuts);
        }
        sendPiece(ctx, cuts, 1);
    }

    /** Appends the end offsets of the pieces of [start, end), as Toxiproxy's recursive {@code chunk}. */
    private void cut(StubContext ctx, int start, int end, List<Integer> cuts) {
        if ((end - start) - toxic.averageSize() <= toxic.sizeVariation() || end - start <= 1) {
            cuts.add(end);
            return;
        }
        int mid = start + (end - start) / 2;
        if (toxic.sizeVariation() > 0) {
            mid += ctx.random().nextInt((int) toxic.sizeVariation() * 2) - (int) toxic.sizeVariation();
        }
        mid = Math.max(start + 1, Math.min(end - 1, mid));
        cut(ctx, start, mid, cuts);
        cut(ctx, mid, end, cuts);
    }

    private void sendPiece(StubContext ctx, List<Integer> cuts, int index) {
        if (index >= cuts.size()) {
            ctx.done();
            return;
        }
        ctx.emitHead(cuts.get(index) - cuts.get(index - 1));
        Runnable next = () -> sendPiece(ctx, cuts, index + 1);
        if (toxic.delay() > 0) {
            ctx.schedule(toxic.delay(), TimeUnit.MICROSECONDS, next);
        } else {
            next.run();
        }
    }
}
