package dev.meshunit.examples;

import java.util.concurrent.Executor;

/** The executor for a test's async tasks that block (as harness-core's dev.meshunit.testing.Async). */
final class Async {
    private Async() {}

    /** A new daemon thread per task, as JDK 17 at parallelism 1; JDK 25 runs async tasks on the common pool even then. */
    static final Executor THREAD_PER_TASK = task -> {
        Thread t = new Thread(task, "test-async");
        t.setDaemon(true);
        t.start();
    };
}
