package dev.meshunit.journal;

/** What the fault filter did to a request: a delay in ms (0 if none) and an abort status (0 if none). */
public record InjectedFault(long delayMs, int abortStatus) {
    public static final InjectedFault NONE = new InjectedFault(0, 0);

    public boolean any() {
        return delayMs > 0 || abortStatus > 0;
    }
}
