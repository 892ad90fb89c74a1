package dev.meshunit.testing;

/** Thread counts for hygiene checks. */
public final class Threads {
    private Threads() {}

    /**
     * Live threads other than the test engine's ForkJoinPool workers and Awaitility's pollers: JUnit's parallel
     * executor adds (compensating) workers whenever a class waits for an isolated one, and a condition that
     * counts threads runs on a poller thread of its own; neither says anything about the proxy.
     */
    /** The threads alive now. */
    public static java.util.Set<Thread> snapshot() {
        return java.util.Set.copyOf(Thread.getAllStackTraces().keySet());
    }

    /**
     * The names of threads alive now that were not in {@code before}, leaving out those of the test's own
     * machinery, which grow on their own: JUnit's and the common pool's fork-join workers, Awaitility's pollers,
     * and the connection threads of the test backends ({@code raw-upstream}, {@code tcp-echo}). Comparing sets
     * rather than counts cannot be fooled by a backend thread that happened to be idle, or not, at either count.
     */
    public static java.util.List<String> newSince(java.util.Set<Thread> before) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> !before.contains(t) && t.isAlive())
                .map(Thread::getName)
                .filter(n -> !n.contains("ForkJoinPool") && !n.startsWith("awaitility") && !n.equals("raw-upstream")
                        && !n.equals("tcp-echo"))
                .sorted().toList();
    }

    public static long live() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && !t.getName().startsWith("ForkJoinPool")
                        && !t.getName().startsWith("awaitility"))
                .count();
    }
}
