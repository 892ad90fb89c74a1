package dev.meshunit.bench;

import dev.meshunit.config.HeaderOperations;
import dev.meshunit.internal.filter.HeaderFilter;
import dev.meshunit.internal.filter.HeaderMutation;
import dev.meshunit.internal.http.HeaderMap;
import java.util.List;
import java.util.Map;
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
 * The request headers' way upstream, as the header filter does it: copy the client's (ten, Netty's HTTP/1 kind),
 * drop hop-by-hop ones, set host and x-forwarded-proto, apply a route's set/add/remove.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class HeaderMutationBenchmark {
    private HeaderMap client;
    private HeaderMutation route;

    @Setup
    public void setUp() {
        client = Fixtures.requestHeaders();
        route = new HeaderMutation(new HeaderOperations(Map.of("x-route", "main"), Map.of("x-trace", "on"), List.of("x-debug")));
    }

    @Benchmark
    public HeaderMap finaliseUpstreamHeaders() {
        HeaderMap h = client.copy();
        HeaderFilter.removeHopByHop(h);
        h.set("host", "reviews:9080");
        if (!h.contains("x-forwarded-proto")) h.set("x-forwarded-proto", "http");
        route.apply(h);
        h.set("x-envoy-attempt-count", 1);
        return h;
    }

    @Benchmark
    public Map<String, List<String>> journalSnapshot() {
        return client.toMap();
    }
}
