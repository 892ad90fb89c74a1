package dev.meshunit.chaos.internal;

import dev.meshunit.chaos.EndReason;
import dev.meshunit.chaos.ToxicSpec;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** One toxic of one link: a FIFO in front of its stub, which handles one element at a time. */
final class Stage implements StubContext {
    private final Pipe pipe;
    private final ToxicSpec spec;
    private final boolean active;
    private final ToxicStub stub;
    private final ArrayDeque<Object> queue = new ArrayDeque<>();
    private final Set<ScheduledFuture<?>> timers = new HashSet<>();
    private Consumer<Object> output;
    private Chunk current;
    private boolean busy;
    private boolean pumping;
    private boolean stopped;

    Stage(Pipe pipe, ToxicSpec spec, boolean active) {
        this.pipe = pipe;
        this.spec = spec;
        this.active = active;
        this.stub = active ? Stubs.create(spec.toxic()) : Stubs.PASS_THROUGH;
    }

    ToxicSpec spec() {
        return spec;
    }

    boolean active() {
        return active;
    }

    void connectTo(Consumer<Object> next) {
        this.output = next;
    }

    void start() {
        stub.onStart(this);
    }

    void offer(Object element) {
        if (stopped) {
            Pipe.releaseElement(element);
            return;
        }
        queue.add(element);
        pump();
    }

    private void pump() {
        if (pumping) {
            return;
        }
        pumping = true;
        try {
            while (!busy && !stopped && !queue.isEmpty()) {
                Object element = queue.poll();
                busy = true;
                if (element instanceof Chunk chunk) {
                    current = chunk;
                    stub.onChunk(this);
                } else {
                    stub.onEnd(this);
                }
            }
        } finally {
            pumping = false;
        }
    }

    /** Stops the stub and hands over its unsent data, oldest first, so a restarted chain loses nothing. */
    void stopInto(Deque<Object> pending) {
        stop();
        if (current != null && current.data().readableBytes() > 0) {
            pending.add(current);
        } else if (current != null) {
            current.data().release();
        }
        current = null;
        pending.addAll(queue);
        queue.clear();
    }

    void discard() {
        stop();
        if (current != null) {
            current.data().release();
            current = null;
        }
        queue.forEach(Pipe::releaseElement);
        queue.clear();
    }

    private void stop() {
        stopped = true;
        timers.forEach(timer -> timer.cancel(false));
        timers.clear();
    }

    @Override
    public Chunk current() {
        return current;
    }

    @Override
    public long nowNanos() {
        return System.nanoTime();
    }

    @Override
    public Random random() {
        return pipe.random();
    }

    @Override
    public void emitHead(int bytes) {
        if (bytes > 0) {
            output.accept(new Chunk(current.data().readRetainedSlice(bytes), current.timestampNanos()));
        }
    }

    @Override
    public void emitAll() {
        if (current.data().readableBytes() > 0) {
            output.accept(current);
        } else {
            current.data().release();
        }
        current = null;
    }

    @Override
    public void drop() {
        pipe.dropped(current.data().readableBytes());
        current.data().skipBytes(current.data().readableBytes());
    }

    @Override
    public void done() {
        if (current != null) {
            drop();
            current.data().release();
            current = null;
        }
        busy = false;
        pump();
    }

    @Override
    public void emitEnd() {
        output.accept(StreamEnd.INSTANCE);
    }

    @Override
    public void endStream(EndReason reason) {
        pipe.blame(reason);
        if (current != null) {
            drop();
            current.data().release();
            current = null;
        }
        queue.forEach(Pipe::releaseElement);
        queue.clear();
        stop();
        emitEnd();
    }

    @Override
    public void reset() {
        pipe.reset();
    }

    @Override
    public void schedule(long delay, TimeUnit unit, Runnable task) {
        ScheduledFuture<?>[] self = new ScheduledFuture<?>[1];
        self[0] = pipe.eventLoop().schedule(() -> {
            timers.remove(self[0]);
            if (!stopped) {
                task.run();
            }
        }, delay, unit);
        timers.add(self[0]);
    }

    @Override
    public <T> T state(Supplier<T> initial) {
        return pipe.state(spec.name(), initial);
    }
}
