package dev.meshunit.config.load.internal;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Go's {@code time.ParseDuration} syntax, which Istio's CRDs accept: {@code 1h}, {@code 1m30s}, {@code 0.5s}. */
public final class Durations {
    private static final Pattern PART = Pattern.compile("(\\d+\\.?\\d*|\\.\\d+)(ns|us|µs|ms|s|m|h)");
    private static final Map<String, Long> NANOS = Map.of(
            "ns", 1L, "us", 1_000L, "µs", 1_000L, "ms", 1_000_000L, "s", 1_000_000_000L,
            "m", 60_000_000_000L, "h", 3_600_000_000_000L);

    private Durations() {}

    /** @throws IllegalArgumentException when {@code text} is not a Go duration */
    public static Duration parse(String text) {
        String s = text.trim();
        boolean negative = s.startsWith("-");
        if (negative || s.startsWith("+")) s = s.substring(1);
        if (s.equals("0")) return Duration.ZERO;
        Matcher m = PART.matcher(s);
        BigDecimal nanos = BigDecimal.ZERO;
        int end = 0;
        while (m.find() && m.start() == end) {
            nanos = nanos.add(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(NANOS.get(m.group(2)))));
            end = m.end();
        }
        if (end == 0 || end != s.length()) throw new IllegalArgumentException("invalid duration \"" + text + "\"");
        Duration d = Duration.ofNanos(nanos.longValue());
        return negative ? d.negated() : d;
    }

    /** The shortest Go spelling, for messages: {@code 1.5s}, {@code 250ms}. */
    public static String format(Duration d) {
        if (d.isZero()) return "0s";
        if (d.toNanosPart() % 1_000_000 != 0) {
            return BigDecimal.valueOf(d.toNanos()).movePointLeft(6).stripTrailingZeros().toPlainString() + "ms";
        }
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }
}
