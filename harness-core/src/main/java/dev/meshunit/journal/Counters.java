package dev.meshunit.journal;

/** Request counters of a cluster or an endpoint, by status class. Guarded by the journal's lock. */
public final class Counters {
    private long total;
    private long success;
    private long clientErrors;
    private long serverErrors;
    private long noResponse;

    void add(int status) {
        total++;
        if (status == 0) noResponse++;
        else if (status >= 500) serverErrors++;
        else if (status >= 400) clientErrors++;
        else success++;
    }

    Snapshot snapshot() {
        return new Snapshot(total, success, clientErrors, serverErrors, noResponse);
    }

    /** {@code success} counts 1xx-3xx answers; {@code noResponse} attempts that got no answer. */
    public record Snapshot(long total, long success, long clientErrors, long serverErrors, long noResponse) {}
}
