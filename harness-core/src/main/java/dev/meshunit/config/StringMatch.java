package dev.meshunit.config;

/**
 * Istio's {@code StringMatch}: exactly one of exact, prefix or regex (RE2, whole-string). {@link Kind#PRESENT}
 * stands for the empty match {@code {}} that headers and queryParams use as a presence check.
 */
public record StringMatch(Kind kind, String value) {
    public enum Kind { EXACT, PREFIX, REGEX, PRESENT }

    public StringMatch {
        if (kind == null) throw new IllegalArgumentException("kind is required");
        value = kind == Kind.PRESENT ? "" : (value == null ? "" : value);
    }

    public static StringMatch exact(String v) { return new StringMatch(Kind.EXACT, v); }
    public static StringMatch prefix(String v) { return new StringMatch(Kind.PREFIX, v); }
    public static StringMatch regex(String v) { return new StringMatch(Kind.REGEX, v); }
    public static StringMatch present() { return new StringMatch(Kind.PRESENT, ""); }

    @Override
    public String toString() {
        return kind == Kind.PRESENT ? "{}" : kind.name().toLowerCase() + ": " + value;
    }
}
