package dev.meshunit.assertj;

import dev.meshunit.assertj.internal.ExchangeTable;
import dev.meshunit.journal.Exchange;
import dev.meshunit.journal.ResponseFlag;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.assertj.core.api.AbstractAssert;

/** Assertions on one exchange: what the client got, and how the proxy got it. */
public final class ExchangeAssert extends AbstractAssert<ExchangeAssert, Exchange> {

    ExchangeAssert(Exchange actual) {
        super(actual, ExchangeAssert.class);
    }

    public ExchangeAssert hasStatus(int status) {
        return check(actual.status() == status, "expected status %d but was %d", status, actual.status());
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

    private ExchangeAssert check(boolean ok, String format, Object... args) {
        isNotNull();
        if (!ok) {
            failWithMessage("%s", String.format(Locale.ROOT, format, args) + ":\n" + ExchangeTable.render(List.of(actual)));
        }
        return this;
    }
}
