package dev.meshunit.chaos.load;

import java.util.Map;

/**
 * One second of a load: requests due in it ({@code sent}, overflow included), answers and failures that ended in it
 * by outcome ({@code 2xx}...{@code 5xx}, {@code timeout}, {@code connect}, {@code error}, {@code overflow}), and
 * the latency percentiles in ms of the requests that ended in it, measured from when each was due.
 */
public record Second(int elapsed, long sent, long completed, Map<String, Long> outcomes, double p50, double p90,
        double p99, double max) {

    public Second {
        outcomes = Map.copyOf(outcomes);
    }

    public long errors() {
        return outcomes.entrySet().stream().filter(e -> !e.getKey().equals("2xx") && !e.getKey().equals("3xx"))
                .mapToLong(Map.Entry::getValue).sum();
    }
}
