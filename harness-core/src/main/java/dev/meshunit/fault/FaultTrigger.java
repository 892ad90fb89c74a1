package dev.meshunit.fault;

import java.util.List;
import java.util.Objects;

/**
 * When a {@link Fault} hits the requests its {@link FaultMatch} selects. Counting starts when the override is
 * added; the n-th request is the n-th matching request to reach the fault filter.
 */
public sealed interface FaultTrigger {
    FaultTrigger ALWAYS = new Percentage(100);

    /** A share of the requests, drawn from the proxy's seeded random source ({@code 0.1} is one in a thousand). */
    record Percentage(double percent) implements FaultTrigger {
        public Percentage {
            if (!(percent >= 0 && percent <= 100)) throw new IllegalArgumentException("percentage must be 0-100 (was " + percent + ")");
        }
    }

    /** Exactly these requests, counted from 1: "the 3rd and the 7th", "10 to 20". Reproducible without a seed. */
    record Requests(List<Range> ranges) implements FaultTrigger {
        public Requests {
            ranges = List.copyOf(ranges);
            if (ranges.isEmpty()) throw new IllegalArgumentException("name at least one request number");
        }

        public static Requests numbers(long... numbers) {
            return new Requests(java.util.Arrays.stream(numbers).mapToObj(n -> new Range(n, n)).toList());
        }

        public static Requests between(long first, long last) {
            return new Requests(List.of(new Range(first, last)));
        }

        public boolean covers(long n) {
            for (Range r : ranges) {
                if (n >= r.first() && n <= r.last()) return true;
            }
            return false;
        }
    }

    /**
     * The first {@code attempts} tries of every logical call fail, the next one passes: proves that a client's
     * retry recovers. Requests without a key are calls of their own, so each of them is hit.
     */
    record FirstAttempts(int attempts, CallKey key) implements FaultTrigger {
        public FirstAttempts {
            Objects.requireNonNull(key, "key");
            if (attempts < 1) throw new IllegalArgumentException("attempts must be >= 1 (was " + attempts + ")");
        }
    }

    /** Request numbers {@code first} to {@code last}, both included, counted from 1. */
    record Range(long first, long last) {
        public Range {
            if (first < 1 || last < first) {
                throw new IllegalArgumentException("request range must satisfy 1 <= first <= last (was " + first + "-" + last + ")");
            }
        }

        @Override
        public String toString() {
            return first == last ? Long.toString(first) : first + "-" + last;
        }
    }
}
