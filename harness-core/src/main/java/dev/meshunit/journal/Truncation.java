package dev.meshunit.journal;

import java.util.List;

/**
 * What the journal left out of an exchange's request headers to stay within {@link JournalLimits}: how many
 * header values, how many bytes (names plus values), and the names concerned (at most {@value #MAX_NAMES}).
 * The request itself was forwarded whole; only the record is shorter.
 */
public record Truncation(int headers, long headerBytes, List<String> names) {
    public static final int MAX_NAMES = 16;
    public static final Truncation NONE = new Truncation(0, 0, List.of());

    public Truncation {
        names = List.copyOf(names);
    }

    /** Whether anything was left out. */
    public boolean any() {
        return headers > 0;
    }
}
