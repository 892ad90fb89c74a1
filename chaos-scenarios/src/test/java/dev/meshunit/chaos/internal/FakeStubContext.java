package dev.meshunit.chaos.internal;

import dev.meshunit.chaos.EndReason;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Runs one stub against a virtual clock: scheduled tasks run when {@link #advance} passes their
 * time, and everything emitted is recorded with the virtual time it left the stub.
 */
final class FakeStubContext extends ChunkCursor {
    record Emitted(long atMillis, String data) {
    }

    private record Task(long atNanos, long order, Runnable action) {
    }

    private final ToxicStub stub;
    private final Random random = new Random(0);
    private final PriorityQueue<Task> tasks = new PriorityQueue<>(
            (a, b) -> a.atNanos != b.atNanos ? Long.compare(a.atNanos, b.atNanos) : Long.compare(a.order, b.order));
    private final Map<String, Object> states = new HashMap<>();
    private final List<Chunk> waiting = new ArrayList<>();
    final List<Emitted> emitted = new ArrayList<>();
    final List<String> events = new ArrayList<>();
    long droppedBytes;
    private long nowNanos;
    private long order;
    private boolean busy;

    FakeStubContext(ToxicStub stub) {
        this.stub = stub;
        stub.onStart(this);
    }

    /** Offers a chunk read "now"; it waits while the stub is busy with an earlier one. */
    void offer(String data) {
        waiting.add(new Chunk(Unpooled.copiedBuffer(data, StandardCharsets.US_ASCII), nowNanos));
        pump();
    }

    void end() {
        stub.onEnd(this);
    }

    void advance(long millis) {
        long until = nowNanos + TimeUnit.MILLISECONDS.toNanos(millis);
        while (!tasks.isEmpty() && tasks.peek().atNanos <= until) {
            Task task = tasks.poll();
            nowNanos = task.atNanos;
            task.action.run();
        }
        nowNanos = until;
    }

    boolean busy() {
        return busy;
    }

    private void pump() {
        while (!busy && !waiting.isEmpty()) {
            begin(waiting.remove(0));
            busy = true;
            stub.onChunk(this);
        }
    }

    @Override
    void forward(Chunk chunk) {
        ByteBuf data = chunk.data();
        emitted.add(new Emitted(TimeUnit.NANOSECONDS.toMillis(nowNanos), data.toString(StandardCharsets.US_ASCII)));
        data.release();
    }

    @Override
    void discarded(int bytes) {
        droppedBytes += bytes;
    }

    @Override
    void ready() {
        busy = false;
        pump();
    }

    @Override
    public long nowNanos() {
        return nowNanos;
    }

    @Override
    public Random random() {
        return random;
    }

    @Override
    public void emitEnd() {
        events.add("end@" + TimeUnit.NANOSECONDS.toMillis(nowNanos));
    }

    @Override
    public void endStream(EndReason reason) {
        releaseCurrent();
        events.add(reason + "@" + TimeUnit.NANOSECONDS.toMillis(nowNanos));
    }

    @Override
    public void reset() {
        events.add("reset@" + TimeUnit.NANOSECONDS.toMillis(nowNanos));
    }

    @Override
    public void schedule(long delay, TimeUnit unit, Runnable task) {
        tasks.add(new Task(nowNanos + unit.toNanos(delay), order++, task));
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T state(Supplier<T> initial) {
        return (T) states.computeIfAbsent("state", key -> initial.get());
    }
}
