package dev.meshunit.dataplane;

import static dev.meshunit.testing.Configs.serviceEntry;
import static dev.meshunit.testing.Configs.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshunit.MeshProxy;
import dev.meshunit.VirtualTime;
import dev.meshunit.journal.Exchange;
import dev.meshunit.journal.ResponseFlag;
import dev.meshunit.testing.Async;
import dev.meshunit.testing.RawHttp;
import dev.meshunit.testing.TestBackend;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The fault filter: delays and aborts, their percentages, and their place before retries and timeouts. */
// Delays and timeouts run on virtual time: exact values, whatever else loads the machine.
class FaultTest {
    static final VirtualTime time = VirtualTime.create();
    static TestBackend ratings;
    static MeshProxy proxy;

    @BeforeAll
    static void start() {
        ratings = TestBackend.named("ratings");
        String vs = """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: ratings}
                spec:
                  hosts: [ratings]
                  http:
                  - name: delay
                    match: [{uri: {prefix: /delay}}]
                    fault: {delay: {fixedDelay: 200ms, percentage: {value: 100}}}
                    route: [{destination: {host: ratings}}]
                  - name: abort
                    match: [{uri: {prefix: /abort}}]
                    fault: {abort: {httpStatus: 503, percentage: {value: 100}}}
                    retries: {attempts: 3, retryOn: 5xx}
                    route: [{destination: {host: ratings}}]
                  - name: both
                    match: [{uri: {prefix: /both}}]
                    fault:
                      delay: {fixedDelay: 100ms, percentage: {value: 100}}
                      abort: {httpStatus: 500, percentage: {value: 100}}
                    route: [{destination: {host: ratings}}]
                  - name: half
                    match: [{uri: {prefix: /half}}]
                    fault: {abort: {httpStatus: 418, percentage: {value: 50}}}
                    route: [{destination: {host: ratings}}]
                  - name: never
                    match: [{uri: {prefix: /never}}]
                    fault: {abort: {httpStatus: 500}}
                    route: [{destination: {host: ratings}}]
                  - name: delay-then-timeout
                    match: [{uri: {prefix: /slow}}]
                    fault: {delay: {fixedDelay: 300ms, percentage: {value: 100}}}
                    timeout: 200ms
                    route: [{destination: {host: ratings}}]
                """;
        proxy = MeshProxy.builder().config(yaml(serviceEntry("ratings", ratings) + vs, ratings)).seed(3)
                .virtualTime(time).start();
    }

    @AfterAll
    static void stop() {
        proxy.close();
        ratings.close();
    }

    private static Exchange last() {
        List<Exchange> all = proxy.journal().exchanges();
        return all.get(all.size() - 1);
    }

    /** Sends {@code path}, lets its fault delay (the first timer) fall due, and returns the answer. */
    private static RawHttp.Response afterDelay(String path, Duration delay) throws Exception {
        CompletableFuture<RawHttp.Response> answer = CompletableFuture.supplyAsync(
                () -> RawHttp.get(proxy.port(), "ratings:9080", path), Async.THREAD_PER_TASK);
        time.awaitTimers(1, Duration.ofSeconds(10));
        assertThat(time.nextTimerIn()).isEqualTo(delay);
        time.advance(delay.minusMillis(1));
        assertThat(answer).as("one millisecond before the delay is over").isNotDone();
        time.advance(Duration.ofMillis(1));
        return answer.get(10, TimeUnit.SECONDS);
    }

    private static Exchange exchange(String path) {
        return proxy.journal().select(x -> x.path().equals(path)).get(0);
    }

    @Test
    void delayOf200msIsObservedAndFlaggedDI() throws Exception {
        RawHttp.Response r = afterDelay("/delay", Duration.ofMillis(200));
        assertThat(r.status()).isEqualTo(200);
        Exchange e = exchange("/delay");
        assertThat(e.flags()).containsExactly(ResponseFlag.DI);
        assertThat(e.fault().delayMs()).isEqualTo(200);
        assertThat(e.durationMs()).isEqualTo(200.0);
    }

    @Test
    void abortAnswersItselfIsNeverRetriedAndNeverReachesTheBackend() {
        int before = ratings.count();
        RawHttp.Response r = RawHttp.get(proxy.port(), "ratings:9080", "/abort");
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.body()).isEqualTo("fault filter abort");
        assertThat(ratings.count()).isEqualTo(before);
        Exchange e = last();
        assertThat(e.flags()).containsExactly(ResponseFlag.FI);
        assertThat(e.attempts()).isEmpty();
        assertThat(e.fault().abortStatus()).isEqualTo(503);
    }

    @Test
    void delayAndAbortTogether() throws Exception {
        RawHttp.Response r = afterDelay("/both", Duration.ofMillis(100));
        assertThat(r.status()).isEqualTo(500);
        assertThat(exchange("/both").flags()).containsExactlyInAnyOrder(ResponseFlag.DI, ResponseFlag.FI);
        assertThat(exchange("/both").durationMs()).isEqualTo(100.0);
    }

    @Test
    void percentageAppliesPerRequest() {
        int aborted = 0;
        try (RawHttp c = new RawHttp(proxy.port())) {
            for (int i = 0; i < 400; i++) {
                if (c.send("GET", "ratings:9080", "/half", null).status() == 418) aborted++;
            }
        }
        assertThat(aborted).isBetween(160, 240);
    }

    @Test
    void faultWithoutPercentageNeverFires() {
        assertThat(RawHttp.get(proxy.port(), "ratings:9080", "/never").status()).isEqualTo(200);
        assertThat(last().fault().any()).isFalse();
    }

    @Test
    void theDelayDoesNotCountAgainstTheRouteTimeout() throws Exception {
        // 300 ms of delay, then a 200 ms route timeout that the quick backend never reaches.
        RawHttp.Response r = afterDelay("/slow", Duration.ofMillis(300));
        assertThat(r.status()).isEqualTo(200);
        assertThat(exchange("/slow").durationMs()).isEqualTo(300.0);
    }
}
