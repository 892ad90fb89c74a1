package dev.meshunit.mirror;

/**
 * One way in which the candidate's answer differs from the primary's. {@code where} is {@code status},
 * {@code header <name>}, a JSON path ({@code $.user.name}) or, for text bodies, {@code line <n>};
 * {@code primary} and {@code candidate} are the values as text, {@code (absent)} when one side lacks it.
 */
public record Difference(Kind kind, String where, String primary, String candidate) {
    public static final String ABSENT = "(absent)";

    public enum Kind { STATUS, HEADER, BODY }

    @Override
    public String toString() {
        return where + ": " + primary + " -> " + candidate;
    }
}
