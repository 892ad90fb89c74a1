package dev.meshunit.chaos.load;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * An open-loop load: {@code rate} requests a second to {@code url}, whatever the answers, for {@code duration}
 * (null: until stopped). Each request gives up after {@code timeout}; at most {@code maxInFlight} are under way at
 * once, and a request due while that many are waiting is counted as {@code overflow}, not sent late.
 */
public record LoadSpec(URI url, String method, Map<String, String> headers, String body, double rate, Duration duration,
        Duration timeout, int maxInFlight) {

    public LoadSpec {
        Objects.requireNonNull(url, "url");
        method = method == null ? "GET" : method;
        headers = Map.copyOf(headers == null ? Map.of() : headers);
        if (!(rate > 0 && rate <= 100_000)) throw new IllegalArgumentException("rate must be > 0 and <= 100000 a second (was " + rate + ")");
        if (duration != null && (duration.isNegative() || duration.isZero())) throw new IllegalArgumentException("duration must be > 0");
        timeout = timeout == null ? Duration.ofSeconds(10) : timeout;
        if (maxInFlight < 1) throw new IllegalArgumentException("maxInFlight must be >= 1 (was " + maxInFlight + ")");
    }

    public static LoadSpec get(URI url, double rate, Duration duration) {
        return new LoadSpec(url, "GET", Map.of(), null, rate, duration, null, 1000);
    }
}
