package dev.meshunit.bench;

import dev.meshunit.internal.http.RequestHead;
import dev.meshunit.internal.routing.RouteMatch;
import dev.meshunit.internal.routing.RouteOptions;
import dev.meshunit.internal.routing.RouteTable;
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

/** Routing one request: host to virtual host, then its rules in order until one matches (the fifth here). */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RouteMatchBenchmark {
    private RouteTable table;
    private RequestHead request;
    private RequestHead unknownHost;

    @Setup
    public void setUp() {
        table = RouteTable.compile(Fixtures.config(), RouteOptions.DEFAULTS);
        request = Fixtures.request(Fixtures.requestHeaders());
        unknownHost = RequestHead.parse("GET", "/", "nowhere:80", Fixtures.requestHeaders(), "127.0.0.1:50000", null);
        if (!"main.api".equals(table.route(request.host(), request.port(), request).routeName())) {
            throw new IllegalStateException("the fixture no longer matches its fifth rule");
        }
    }

    @Benchmark
    public RouteMatch matchFifthRule() {
        return table.route(request.host(), request.port(), request);
    }

    @Benchmark
    public RouteMatch noRoute() {
        return table.route(unknownHost.host(), unknownHost.port(), unknownHost);
    }
}
