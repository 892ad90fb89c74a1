package dev.meshunit.chaos.internal;

import dev.meshunit.chaos.Direction;
import dev.meshunit.chaos.EndReason;
import dev.meshunit.chaos.Toxic;
import dev.meshunit.chaos.ToxicSpec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoop;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * One direction of a connection (Toxiproxy's ToxicLink): reads the source, runs the chunks through
 * the direction's toxic chain and writes them to the sink. The source is read again only while
 * fewer than {@link #MAX_IN_FLIGHT} bytes are between the read and the completed write.
 */
final class Pipe {
    static final int MAX_IN_FLIGHT = 64 * 1024;

    private final ProxyConnection connection;
    private final Direction direction;
    private final Channel source;
    private final Channel sink;
    private final Map<String, Object> states = new HashMap<>();
    private List<ToxicSpec> chain = List.of();
    private List<Stage> stages = List.of();
    private long inFlight;
    private boolean readPending;
    private boolean sourceEnded;
    private boolean discarded;

    Pipe(ProxyConnection connection, Direction direction, Channel source, Channel sink) {
        this.connection = connection;
        this.direction = direction;
        this.source = source;
        this.sink = sink;
    }

    EventLoop eventLoop() {
        return source.eventLoop();
    }

    Random random() {
        return connection.random();
    }

    ToxicTimers timers() {
        return connection.timers();
    }

    @SuppressWarnings("unchecked")
    <T> T state(String toxicName, Supplier<T> initial) {
        return (T) states.computeIfAbsent(toxicName, name -> initial.get());
    }

    /**
     * Splices a new chain in, restarting stubs from the first change (from the one before it when
     * the length changed, as Toxiproxy rewires the previous stub). Buffered data is re-fed in order.
     */
    void setChain(List<ToxicSpec> next) {
        if (discarded) {
            return;
        }
        int first = 0;
        while (first < chain.size() && first < next.size() && chain.get(first) == next.get(first)) {
            first++;
        }
        if (first == chain.size() && first == next.size()) {
            return;
        }
        int from = chain.size() == next.size() ? first : Math.max(0, first - 1);
        ArrayDeque<Object> pending = new ArrayDeque<>();
        for (int i = stages.size() - 1; i >= from; i--) {
            stages.get(i).stopInto(pending);
        }
        Set<String> kept = next.stream().map(ToxicSpec::name).collect(Collectors.toSet());
        boolean timeoutRemoved = stages.subList(from, stages.size()).stream()
                .anyMatch(s -> s.active() && s.spec().toxic() instanceof Toxic.Timeout
                        && !kept.contains(s.spec().name()));
        states.keySet().retainAll(kept);

        List<Stage> rebuilt = new ArrayList<>(stages.subList(0, from));
        for (ToxicSpec spec : next.subList(from, next.size())) {
            rebuilt.add(new Stage(this, spec, connection.draw(spec)));
        }
        for (int i = 0; i < rebuilt.size(); i++) {
            rebuilt.get(i).connectTo(i + 1 < rebuilt.size() ? rebuilt.get(i + 1)::offer : this::toSink);
        }
        chain = next;
        stages = rebuilt;
        for (Stage stage : rebuilt.subList(from, rebuilt.size())) {
            if (stage.active()) {
                connection.applied(stage.spec());
            }
            stage.start();
        }
        for (Object element : pending) {
            if (from < rebuilt.size()) {
                rebuilt.get(from).offer(element);
            } else {
                toSink(element);
            }
        }
        if (timeoutRemoved) {
            connection.close(EndReason.TIMEOUT_TOXIC);
        }
    }

    void start() {
        requestRead();
    }

    void onRead(ByteBuf data) {
        if (discarded) {
            data.release();
            return;
        }
        inFlight += data.readableBytes();
        entry(new Chunk(data, timers().nanoTime()));
    }

    void onReadComplete() {
        readPending = false;
        requestRead();
    }

    void onSourceClosed() {
        if (!sourceEnded) {
            sourceEnded = true;
            entry(StreamEnd.INSTANCE);
        }
    }

    private void entry(Object element) {
        if (stages.isEmpty()) {
            toSink(element);
        } else {
            stages.get(0).offer(element);
        }
    }

    private void requestRead() {
        if (!readPending && !sourceEnded && !discarded && inFlight < MAX_IN_FLIGHT && source.isActive()) {
            readPending = true;
            source.read();
        }
    }

    private void toSink(Object element) {
        if (!(element instanceof Chunk chunk)) {
            sink.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        int size = chunk.data().readableBytes();
        sink.writeAndFlush(chunk.data()).addListener(future -> {
            if (future.isSuccess()) {
                connection.delivered(direction, size);
            }
            dropped(size);
        });
    }

    void dropped(int bytes) {
        inFlight -= bytes;
        requestRead();
    }

    void blame(EndReason reason) {
        connection.blame(reason);
    }

    void reset() {
        connection.reset();
    }

    /** Releases every buffer still held by the chain; the pipe is dead afterwards. */
    void discard() {
        discarded = true;
        stages.forEach(Stage::discard);
    }

    static void releaseElement(Object element) {
        if (element instanceof Chunk chunk) {
            chunk.data().release();
        }
    }
}
