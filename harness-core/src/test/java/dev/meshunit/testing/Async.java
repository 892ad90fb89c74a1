package dev.meshunit.testing;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/** The executor for a test's async tasks that block (socket reads, blocking calls, latch waits). */
public final class Async {
    private Async() {}

    private static final AtomicInteger COUNT = new AtomicInteger();

    /**
     * A new daemon thread per task, which is what {@code CompletableFuture.supplyAsync(task)} does on JDK 17 when
     * the common pool's parallelism is 1 (2 cores); JDK 25 runs such tasks on the common pool even then, so one
     * blocked task starves the others.
     */
    public static final Executor THREAD_PER_TASK = task -> {
        Thread t = new Thread(task, "test-async-" + COUNT.incrementAndGet());
        t.setDaemon(true);
        t.start();
    };
}
