package dev.meshunit.cli;

/** What {@code meshunit proxy} says when a fatal error stopped the proxy. */
final class FatalMessage {
    private FatalMessage() {}

    static String of(Throwable e) {
        if (e instanceof OutOfMemoryError) {
            return "meshunit: fatal: the proxy ran out of memory (" + e + "); it cannot answer reliably any more, so it"
                    + " stops (exit " + Main.FATAL + "). Give the JVM more heap (-Xmx) or keep less in the journal"
                    + " (--journal-max-bytes, --journal-capacity, --record-bodies).";
        }
        return "meshunit: fatal: the proxy stopped on " + e + " (exit " + Main.FATAL + ")";
    }
}
