package dev.meshunit.chaos.internal;

import dev.meshunit.chaos.EndReason;
import dev.meshunit.chaos.ToxicSpec;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** One toxic of one link: a FIFO in front of its stub, which handles one element at a time. */
final class Stage extends ChunkCursor {
    private final Pipe pipe;
    private final ToxicSpec spec;
    private final boolean active;
    private final ToxicStub stub;
    private final ArrayDeque<Object> queue = new ArrayDeque<>();
    private final Set<Runnable> timers = new HashSet<>();
    private Consumer<Object> output;
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
                    begin(chunk);
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
        Chunk current = takeCurrent();
        if (current != null && current.data().readableBytes() > 0) {
            pending.add(current);
        } else if (current != null) {
            current.data().release();
        }
        pending.addAll(queue);
        queue.clear();
    }

    void discard() {
        stop();
        Chunk current = takeCurrent();
        if (current != null) {
            current.data().release();
        }
        queue.forEach(Pipe::releaseElement);
        queue.clear();
    }

    private void stop() {
        stopped = true;
        timers.forEach(Runnable::run);
        timers.clear();
    }

    @Override
    void forward(Chunk chunk) {
        output.accept(chunk);
    }

    @Override
    void discarded(int bytes) {
        pipe.dropped(bytes);
    }

    @Override
    void ready() {
        busy = false;
        pump();
    }

    @Override
    public long nowNanos() {
        return pipe.timers().nanoTime();
    }

    @Override
    public Random random() {
        return pipe.random();
    }

    @Override
    public void emitEnd() {
        output.accept(StreamEnd.INSTANCE);
    }

    @Override
    public void endStream(EndReason reason) {
        pipe.blame(reason);
        releaseCurrent();
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
        Runnable[] cancel = new Runnable[1];
        cancel[0] = pipe.timers().schedule(pipe.eventLoop(), unit.toNanos(delay), () -> {
            timers.remove(cancel[0]);
            if (!stopped) {
                task.run();
            }
        });
        if (cancel[0] != null) {
            timers.add(cancel[0]);
        }
    }

    @Override
    public <T> T state(Supplier<T> initial) {
        return pipe.state(spec.name(), initial);
    }
}
