package dev.meshunit.assertj;

import dev.meshunit.assertj.internal.ExchangeTable;
import dev.meshunit.journal.Attempt;
import dev.meshunit.journal.Exchange;
import dev.meshunit.journal.ResponseFlag;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.assertj.core.api.AbstractAssert;

/** Assertions on one exchange: what the client got, and how the proxy got it. */
public class ExchangeAssert extends AbstractAssert<ExchangeAssert, Exchange> {

    public ExchangeAssert(Exchange actual) {
        super(actual, ExchangeAssert.class);
    }

    public ExchangeAssert hasStatus(int status) {
        return check(actual.status() == status, "expected status %d but was %d", status, actual.status());
    }

    /** The gRPC status the client got, by name ({@code "UNAVAILABLE"}) or code ({@code "14"}). */
    public ExchangeAssert hasGrpcStatus(String status) {
        boolean same = status.equalsIgnoreCase(String.valueOf(actual.grpcStatusName())) || status.equals(actual.grpcStatus());
        return check(same, "expected grpc-status %s but was %s", status,
                actual.grpcStatus() == null ? "none" : actual.grpcStatusName() + " (" + actual.grpcStatus() + ")");
    }

    public ExchangeAssert hasFlag(ResponseFlag flag) {
        return check(actual.hasFlag(flag), "expected flag %s but the flags were %s", flag, ResponseFlag.render(actual.flags()));
    }

    public ExchangeAssert servedBySubset(String subset) {
        return check(Objects.equals(actual.subset(), subset), "expected subset %s but was %s", subset, actual.subset());
    }

    /** Attempts against upstreams, the first one included. */
    public ExchangeAssert hasAttempts(int attempts) {
        return check(actual.attempts().size() == attempts, "expected %d attempts but there were %d",
                attempts, actual.attempts().size());
    }

    public ExchangeAssert hasBoundedRetries(int maxRetries) {
        return check(actual.retries() <= maxRetries, "expected at most %d retries but there were %d",
                maxRetries, actual.retries());
    }

    public ExchangeAssert hasRequestHeader(String name, String value) {
        return check(Objects.equals(actual.requestHeader(name), value), "expected request header %s: %s but it was %s",
                name, value, actual.requestHeader(name));
    }

    /** Assertions on one attempt, numbered from 1 as in {@code x-envoy-attempt-count}. */
    public AttemptAssert attempt(int number) {
        isNotNull();
        if (number < 1 || number > actual.attempts().size()) {
            check(false, "expected an attempt %d but there were %d attempts", number, actual.attempts().size());
        }
        return new AttemptAssert(actual.attempts().get(number - 1));
    }

    /** The header as the answering (last) attempt sent it upstream, after rewrites and header mutation. */
    public ExchangeAssert hasUpstreamHeader(String name, String value) {
        String problem = AttemptAssert.upstreamHeaderMismatch(lastAttempt(), name, value);
        return check(problem == null, "%s", problem);
    }

    /** The header's value as each attempt sent it, in order: {@code ("x-envoy-attempt-count", "1", "2", "3")}. */
    public ExchangeAssert hasUpstreamHeaderPerAttempt(String name, String... values) {
        List<String> sent = actual.attempts().stream().map(a -> a.upstreamHeader(name)).toList();
        return check(sent.equals(Arrays.asList(values)), "expected upstream header %s per attempt %s but it was %s",
                name, Arrays.asList(values), sent);
    }

    /** The value at a JSON path ({@code $.a.b[0]}) or Pointer ({@code /a/b/0}) of the recorded request body. */
    public ExchangeAssert hasRequestBodyJson(String path, Object expected) {
        String problem = AttemptAssert.bodyJsonMismatch("request", lastAttempt().requestBody(), path, expected);
        return check(problem == null, "%s", problem);
    }

    /** The same in the answer's recorded body (see {@code recordBodies}). */
    public ExchangeAssert hasResponseBodyJson(String path, Object expected) {
        String problem = AttemptAssert.bodyJsonMismatch("response", lastAttempt().responseBody(), path, expected);
        return check(problem == null, "%s", problem);
    }

    private Attempt lastAttempt() {
        isNotNull();
        if (actual.attempts().isEmpty()) check(false, "expected an upstream attempt but the proxy answered itself");
        return actual.attempts().get(actual.attempts().size() - 1);
    }

    public ExchangeAssert tookAtMost(Duration limit) {
        return check(actual.durationMs() <= limit.toNanos() / 1e6, "expected to take at most %d ms but took %.1f ms",
                limit.toMillis(), actual.durationMs());
    }

    public ExchangeAssert tookAtLeast(Duration min) {
        return check(actual.durationMs() >= min.toNanos() / 1e6, "expected to take at least %d ms but took %.1f ms",
                min.toMillis(), actual.durationMs());
    }

    /** A fault (from YAML or the test) delayed the request by exactly this much (flag DI). */
    public ExchangeAssert hasInjectedDelay(Duration delay) {
        return check(actual.fault().delayMs() == delay.toMillis(), "expected an injected delay of %d ms but it was %d ms",
                delay.toMillis(), actual.fault().delayMs());
    }

    /** A fault (from YAML or the test) answered the request itself with this status (flag FI). */
    public ExchangeAssert hasInjectedAbort(int status) {
        return check(actual.fault().abortStatus() == status, "expected an injected abort with %d but it was %s",
                status, actual.fault().abortStatus() == 0 ? "none" : Integer.toString(actual.fault().abortStatus()));
    }

    private ExchangeAssert check(boolean ok, String format, Object... args) {
        isNotNull();
        if (!ok) {
            failWithMessage("%s", String.format(Locale.ROOT, format, args) + ":\n" + ExchangeTable.render(List.of(actual)));
        }
        return this;
    }
}
