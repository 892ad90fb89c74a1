package dev.meshunit.testing;

/** Thread counts for hygiene checks. */
public final class Threads {
    private Threads() {}

    /**
     * Live threads other than the test engine's ForkJoinPool workers and Awaitility's pollers: JUnit's parallel
     * executor adds (compensating) workers whenever a class waits for an isolated one, and a condition that
     * counts threads runs on a poller thread of its own; neither says anything about the proxy.
     */
    public static long live() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && !t.getName().startsWith("ForkJoinPool")
                        && !t.getName().startsWith("awaitility"))
                .count();
    }
}
