package dev.meshunit.internal.routing;

import com.google.re2j.Pattern;
import dev.meshunit.config.StringMatch;
import java.util.Locale;

/** A compiled {@link StringMatch}; regexes use RE2 and must match the whole value, as in Envoy. */
final class StringMatcher {
    private final StringMatch.Kind kind;
    private final String value;
    private final Pattern pattern;
    private final boolean ignoreCase;

    StringMatcher(StringMatch match, boolean ignoreCase) {
        this.kind = match.kind();
        this.ignoreCase = ignoreCase && kind != StringMatch.Kind.REGEX;
        this.value = this.ignoreCase ? match.value().toLowerCase(Locale.ROOT) : match.value();
        this.pattern = kind == StringMatch.Kind.REGEX ? Pattern.compile(match.value()) : null;
    }

    /** A null input (absent header) matches nothing, not even a presence check. */
    boolean matches(String input) {
        if (input == null) return false;
        String in = ignoreCase ? input.toLowerCase(Locale.ROOT) : input;
        return switch (kind) {
            case EXACT -> in.equals(value);
            case PREFIX -> in.startsWith(value);
            case REGEX -> pattern.matches(in);
            case PRESENT -> true;
        };
    }

    boolean isPrefix() {
        return kind == StringMatch.Kind.PREFIX;
    }

    String value() {
        return value;
    }
}
