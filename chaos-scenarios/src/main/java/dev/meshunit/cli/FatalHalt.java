package dev.meshunit.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * For {@code meshunit proxy} in a JVM of its own: {@code -XX:+ExitOnOutOfMemoryError} with a message. A thread
 * started with the command, holding all it needs, halts the process with exit {@value Main#FATAL} once told of a
 * fatal error or once the heap is still {@value HeapWatch#PERCENT}% full after a collection (it looks ten times a
 * second). Its fatal path allocates nothing it must have: the message is formatted ahead, written straight to
 * the file descriptor (no lock another thread may hold), and {@link Runtime#halt} runs no hooks that could wait
 * on a starved heap. An orderly exit is not attempted: in a heap that ran out, it is what never finished.
 */
final class FatalHalt implements AutoCloseable {
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final byte[] message = (FatalMessage.of(new OutOfMemoryError("Java heap space")) + System.lineSeparator())
            .getBytes(StandardCharsets.UTF_8);
    private final FileOutputStream stderr = new FileOutputStream(FileDescriptor.err);
    private final List<MemoryPoolMXBean> heapPools = new ArrayList<>();
    private final Thread thread;
    private volatile Throwable cause;
    private volatile boolean closed;

    private FatalHalt() {
        thread = new Thread(this::watch, "meshunit-fatal-halt");
        thread.setDaemon(true);
        thread.setPriority(Thread.MAX_PRIORITY);
    }

    /** Starts the watchdog and makes it the JVM's last word on a {@link VirtualMachineError} no one caught. */
    static FatalHalt start() {
        FatalHalt halt = new FatalHalt();
        halt.thread.start();
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> {
            if (e instanceof VirtualMachineError) halt.trigger(e);
            if (previous != null) previous.uncaughtException(t, e);
            else e.printStackTrace();
        });
        return halt;
    }

    /** Ends the process soon, whatever else still runs; the first cause is the one reported. */
    void trigger(Throwable e) {
        if (cause == null) cause = e;
        LockSupport.unpark(thread);
    }

    /** The heap's pools, watched past the threshold; on this thread, since the management beans take a while to start. */
    private void watchPools() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            long max = pool.getUsage().getMax();
            if (pool.getType() == MemoryType.HEAP && pool.isCollectionUsageThresholdSupported() && max > 0) {
                pool.setCollectionUsageThreshold(max / 100 * HeapWatch.PERCENT);
                heapPools.add(pool);
            }
        }
    }

    private void watch() {
        try {
            watchPools();
        } catch (VirtualMachineError e) { // no room even for the beans: the first look halts
            if (cause == null) cause = e;
        } catch (Throwable e) {
            // no pools to watch (a JVM without the management beans, a class that failed to load); this thread
            // must live on regardless, since a trigger is only ever acted on here
        }
        while (!closed) {
            LockSupport.parkNanos(POLL_NANOS);
            if (cause != null) halt();
            try {
                for (int i = 0; i < heapPools.size(); i++) {
                    if (heapPools.get(i).isCollectionUsageThresholdExceeded()) halt();
                }
            } catch (Throwable e) { // even reading the pools failed: the heap is gone
                halt();
            }
        }
    }

    private void halt() {
        byte[] out = message;
        try {
            Throwable c = cause;
            if (c != null) out = (FatalMessage.of(c) + System.lineSeparator()).getBytes(StandardCharsets.UTF_8);
        } catch (Throwable noRoom) {
            // the message formatted ahead says it
        }
        try {
            stderr.write(out);
            stderr.flush();
        } catch (Throwable ignored) {
            // nothing left to tell it with
        }
        Runtime.getRuntime().halt(Main.FATAL);
    }

    /** A clean stop: the watchdog stands down. */
    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
    }
}
