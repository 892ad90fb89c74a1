package dev.meshunit.journal;

/**
 * What the fault filter did to a request: a delay in ms (0 if none), an abort status (0 if none), and the
 * HTTP-level fault that broke the answer ({@code reset_before_answer}, {@code reset_after_headers},
 * {@code empty_response}, {@code malformed_status_line}, {@code truncated_body}, {@code slow_body}; null if none).
 */
public record InjectedFault(long delayMs, int abortStatus, String http) {
    public static final InjectedFault NONE = new InjectedFault(0, 0);

    public InjectedFault(long delayMs, int abortStatus) {
        this(delayMs, abortStatus, null);
    }

    public boolean any() {
        return delayMs > 0 || abortStatus > 0 || http != null;
    }
}
