package dev.meshunit.journal;

import java.util.Set;

/**
 * One try of an exchange against one endpoint. {@code status} is 0 when no response head arrived; then
 * {@code error} says why (connection refused, reset, per-try timeout...).
 */
public record Attempt(int number, String endpoint, int status, String error, Set<ResponseFlag> flags, double durationMs) {
    public Attempt {
        flags = Set.copyOf(flags);
    }

    public boolean responded() {
        return status > 0;
    }
}
