package dev.meshunit.internal.filter;

/**
 * Decimal strings of the small numbers header values carry on every request (attempt counts, milliseconds of
 * upstream service time), made once instead of formatted (and boxed) per request. Immutable.
 */
public final class Decimal {
    private static final String[] SMALL = new String[1024];

    static {
        for (int i = 0; i < SMALL.length; i++) SMALL[i] = Integer.toString(i);
    }

    private Decimal() {}

    /** {@code n} in decimal; a shared string for 0 to 1023. */
    public static String of(long n) {
        return n >= 0 && n < SMALL.length ? SMALL[(int) n] : Long.toString(n);
    }
}
