package dev.meshunit.bench;

import dev.meshunit.internal.http.HeaderMap;
import dev.meshunit.journal.Attempt;
import dev.meshunit.journal.DestinationRef;
import dev.meshunit.journal.Exchange;
import dev.meshunit.journal.InjectedFault;
import dev.meshunit.journal.JournalWriter;
import dev.meshunit.journal.RouteRef;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Journalling one exchange as the stream does at its end: snapshot the client's and the upstream headers, build
 * the records, and append to a full journal at its default capacity (so each record also drops the oldest).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class JournalRecordBenchmark {
    private static final RouteRef ROUTE = new RouteRef("reviews", "default", 4, "main.api");
    private static final DestinationRef DEST = new DestinationRef("reviews.default.svc.cluster.local", "v1", 9080);

    private JournalWriter journal;
    private HeaderMap client;
    private HeaderMap upstream;
    private final Instant start = Instant.parse("2026-12-01T12:00:00Z");

    @Setup
    public void setUp() {
        journal = new JournalWriter(10_000, 1);
        client = Fixtures.requestHeaders();
        upstream = client.copy().remove("connection").set("x-forwarded-proto", "http")
                .set("x-request-id", "9f0c2c2e-4f7a-4b55-9d5e-0b3f6a1c2d3e").set("x-envoy-attempt-count", 1);
        for (int i = 0; i < 10_000; i++) record();
    }

    @Benchmark
    public long record() {
        long id = journal.nextId();
        Attempt attempt = new Attempt(1, "127.0.0.1:9081", 200, null, Set.of(), 0.412, "/reviews/1?page=2",
                upstream.toMap(), null, null);
        journal.record(new Exchange(id, start, "127.0.0.1:50000", "GET", "reviews:9080", "/reviews/1?page=2",
                client.toMap(), ROUTE, DEST, List.of(attempt), InjectedFault.NONE, 200, Set.of(), 0.6));
        return id;
    }
}
