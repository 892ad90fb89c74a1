package dev.meshunit.internal.netty;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * A proxy's fatal errors: an {@link OutOfMemoryError} (or another {@link VirtualMachineError}) seen on its
 * connections, or one of its event-loop threads dying. After one, nothing the proxy does can be trusted (a
 * listener would accept and never answer), so the first is kept and its listeners told once, on a thread of
 * their own: the proxy closes itself, the CLI exits, the JUnit extension fails the test.
 */
public final class FatalErrors {
    private final AtomicReference<Throwable> first = new AtomicReference<>();
    private final List<Consumer<Throwable>> listeners = new CopyOnWriteArrayList<>();
    private final ChannelHandler sentinel = new Sentinel();
    private volatile Runnable afterListeners = () -> { };

    /** Whether {@code t} (or what it wraps) leaves the JVM or the proxy in a state it cannot recover from. */
    public static boolean isFatal(Throwable t) {
        for (int depth = 0; t != null && depth < 8; depth++, t = t.getCause()) {
            if (t instanceof VirtualMachineError) return true;
        }
        return false;
    }

    /** The first fatal error, or null. */
    public Throwable first() {
        return first.get();
    }

    public void onFatal(Consumer<Throwable> listener) {
        listeners.add(listener);
        Throwable already = first.get();
        if (already != null) listener.accept(already);
    }

    /** What runs once the listeners were told (the proxy closing itself). */
    public void afterListeners(Runnable action) {
        this.afterListeners = action;
    }

    /** Records {@code t} if it is the first; then tells the listeners off the reporting (event-loop) thread. */
    public void report(Throwable t) {
        if (!first.compareAndSet(null, t)) return;
        Runnable tell = () -> {
            try {
                listeners.forEach(l -> l.accept(t));
            } finally {
                afterListeners.run();
            }
        };
        try {
            Thread thread = new Thread(tell, "meshunit-fatal");
            thread.setDaemon(true);
            thread.start();
        } catch (Throwable noThread) { // out of memory for a thread too: tell them here
            tell.run();
        }
    }

    /** Event-loop threads that report their own death. */
    ThreadFactory threadFactory(String name) {
        DefaultThreadFactory threads = new DefaultThreadFactory(name, true);
        return r -> {
            Thread t = threads.newThread(r);
            t.setUncaughtExceptionHandler((thread, e) -> report(e));
            return t;
        };
    }

    /** Sits after the codec: sees what decoding threw (where an exhausted heap shows first) and passes it on. */
    ChannelHandler sentinel() {
        return sentinel;
    }

    @ChannelHandler.Sharable
    private final class Sentinel extends ChannelInboundHandlerAdapter {
        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (isFatal(cause)) report(cause);
            ctx.fireExceptionCaught(cause);
        }
    }
}
