package dev.meshunit.journal;

import io.netty.util.AsciiString;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * A fixed set of lower-case header names, looked up without regard to case and without making a string: the
 * journal keeps the one shared copy of a common name instead of a lower-cased copy per exchange. Immutable.
 */
final class CommonNames {
    private final String[] table;
    private final CharSequence[] given; // as passed in: a Netty constant the decoders hand over is found by identity
    private final int longest;

    CommonNames(CharSequence... names) {
        table = new String[Integer.highestOneBit(names.length * 4 - 1) << 1];
        given = new CharSequence[table.length];
        for (CharSequence n : names) {
            String lower = n.toString().toLowerCase(Locale.ROOT);
            int i = slot(hash(lower));
            while (table[i] != null) i = slot(i + 1);
            table[i] = lower;
            given[i] = n;
        }
        longest = Arrays.stream(table).filter(Objects::nonNull).mapToInt(String::length).max().orElse(0);
    }

    /** The shared lower-case name equal to {@code name} ignoring ASCII case, or null. */
    String find(CharSequence name) {
        if (name.length() > longest) return null;
        int i = slot(hash(name));
        for (String candidate; (candidate = table[i]) != null; i = slot(i + 1)) {
            if (given[i] == name || equalsIgnoreCase(candidate, name)) return candidate;
        }
        return null;
    }

    private int slot(int h) {
        return h & (table.length - 1);
    }

    /**
     * Netty's case-insensitive hash: cached in an {@link AsciiString}, which every name from Netty's decoders is
     * (hashed already when the decoder added it to its headers), so a lookup reads no character twice.
     */
    private static int hash(CharSequence s) {
        int h = AsciiString.hashCode(s);
        return h ^ (h >>> 16);
    }

    private static boolean equalsIgnoreCase(String lower, CharSequence s) {
        if (lower.length() != s.length()) return false;
        for (int i = 0; i < s.length(); i++) {
            if (lower.charAt(i) != lower(s.charAt(i))) return false;
        }
        return true;
    }

    private static char lower(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
    }
}
