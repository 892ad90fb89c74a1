package dev.meshunit.chaos;

/**
 * What a toxic does to the bytes of one direction of a connection. Attribute names and units are
 * Toxiproxy's: milliseconds unless said otherwise, {@link Slicer#delay()} in microseconds,
 * {@link Bandwidth#rate()} in KB/s (1 KB = 1000 bytes, so bytes per millisecond).
 */
public sealed interface Toxic {

    /** The Toxiproxy type name, e.g. {@code latency}. */
    String type();

    /** Delays each chunk by {@code latency} ms plus a uniform draw in [-jitter, +jitter). */
    record Latency(long latency, long jitter) implements Toxic {
        public Latency {
            requireNonNegative("latency", latency);
            requireNonNegative("jitter", jitter);
        }

        @Override
        public String type() {
            return "latency";
        }
    }

    /** Limits throughput to {@code rate} KB/s; {@code rate == 0} passes no data until removed. */
    record Bandwidth(long rate) implements Toxic {
        public Bandwidth {
            requireNonNegative("rate", rate);
        }

        @Override
        public String type() {
            return "bandwidth";
        }
    }

    /** Waits {@code delay} ms after the stream ends before closing the other side. */
    record SlowClose(long delay) implements Toxic {
        public SlowClose {
            requireNonNegative("delay", delay);
        }

        @Override
        public String type() {
            return "slow_close";
        }
    }

    /** Swallows all data; closes the connection after {@code timeout} ms, or never when 0. */
    record Timeout(long timeout) implements Toxic {
        public Timeout {
            requireNonNegative("timeout", timeout);
        }

        @Override
        public String type() {
            return "timeout";
        }
    }

    /** On the first chunk, waits {@code timeout} ms and then resets both sockets (TCP RST). */
    record ResetPeer(long timeout) implements Toxic {
        public ResetPeer {
            requireNonNegative("timeout", timeout);
        }

        @Override
        public String type() {
            return "reset_peer";
        }
    }

    /** Splits each chunk into pieces of about {@code averageSize ± sizeVariation} bytes, {@code delay} µs apart. */
    record Slicer(long averageSize, long sizeVariation, long delay) implements Toxic {
        public Slicer {
            requireNonNegative("average_size", averageSize);
            requireNonNegative("size_variation", sizeVariation);
            requireNonNegative("delay", delay);
        }

        @Override
        public String type() {
            return "slicer";
        }
    }

    /** Lets {@code bytes} bytes through in this direction of the connection, then closes it. */
    record LimitData(long bytes) implements Toxic {
        public LimitData {
            requireNonNegative("bytes", bytes);
        }

        @Override
        public String type() {
            return "limit_data";
        }
    }

    private static void requireNonNegative(String attribute, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(attribute + ": must be >= 0 (was " + value + ")");
        }
    }
}
