package dev.meshunit.bench;

import dev.meshunit.internal.filter.HeaderFilter;
import dev.meshunit.internal.http.FilterCallbacks;
import dev.meshunit.internal.http.HeaderMap;
import dev.meshunit.internal.http.RequestHead;
import dev.meshunit.internal.http.ResponseHead;
import java.util.SplittableRandom;
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
 * The header filter itself, both ways, on the fixture's weighted route with its request and response
 * mutations: the client's ten headers to the upstream's (a request id made up, as for wrk), and an nginx-like
 * answer to the client's. The answer's headers are copied from a template first ({@link #copyAnswer} alone).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class HeaderFilterBenchmark {
    private FilterCallbacks stream;
    private HeaderFilter filter;
    private RequestHead request;
    private HeaderMap answer;

    @Setup
    public void setUp() {
        request = Fixtures.request(Fixtures.requestHeaders());
        stream = FilterStub.of(request);
        filter = new HeaderFilter(stream, new SplittableRandom(7));
        answer = Fixtures.responseHeaders();
        stream.info().upstreamServiceTimeMs(3);
    }

    @Benchmark
    public HeaderMap request() {
        filter.decodeHeaders(request);
        HeaderMap h = stream.info().upstreamHeaders();
        h.set("x-envoy-attempt-count", 1); // as the router sets it before sending
        return h;
    }

    @Benchmark
    public HeaderMap answer() {
        HeaderMap h = answer.copy();
        filter.encodeHeaders(new ResponseHead(200, h), false);
        return h;
    }

    @Benchmark
    public HeaderMap copyAnswer() {
        return answer.copy();
    }
}
