package dev.meshunit.junit;

import static dev.meshunit.assertj.MeshAssertions.assertThat;
import static dev.meshunit.junit.RequestCount.atLeast;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshunit.assertj.MeshSoftAssertions;
import dev.meshunit.VirtualTime;
import dev.meshunit.fault.CallKey;
import dev.meshunit.journal.ResponseFlag;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.assertj.core.error.AssertJMultipleFailuresError;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Each resilience check passes for a client that has the habit and fails, naming the exchanges, for one that
 * lacks it. The clients are a few lines of JDK HttpClient each; ratings answers through test-time faults.
 *
 * <p>On virtual time: the proxy's delays wait until the test moves time, and the clients' own back-off and
 * breaker clocks are the same virtual time, so every duration the checks see is exact. Only a real client's
 * own timeout runs on the wall clock.
 */
@MeshTest(config = "mesh/ratings", virtualTime = true)
class ResilienceAssertionsTest {
    static final TinyBackend RATINGS = TinyBackend.start("ratings");
    @Backend("ratings") static final int PORT = RATINGS.port();
    static final URI URL = URI.create("http://ratings:9080/ratings/1");

    @AfterAll
    static void stop() {
        RATINGS.close();
    }

    /** Calls ratings, retrying 5xx up to {@code maxRetries} times with a fixed back-off, slept on {@code time}. */
    static int callWithRetries(HttpClient http, int maxRetries, Duration backoff, VirtualTime time) throws Exception {
        int status = 0;
        for (int attempt = 0; attempt <= maxRetries; attempt++) {
            if (attempt > 0 && !backoff.isZero()) time.advance(backoff);
            status = http.send(HttpRequest.newBuilder(URL).build(), BodyHandlers.discarding()).statusCode();
            if (status < 500) break;
        }
        return status;
    }

    /**
     * Opens for {@code openFor} after {@code threshold} consecutive 5xx; while open it answers -1 without calling.
     * Its clock is the proxy's virtual time.
     */
    static final class CircuitBreaker {
        private final HttpClient http;
        private final int threshold;
        private final Duration openFor;
        private final VirtualTime time;
        private int failures;
        private Duration openUntil = Duration.ZERO;

        CircuitBreaker(HttpClient http, int threshold, Duration openFor, VirtualTime time) {
            this.http = http;
            this.threshold = threshold;
            this.openFor = openFor;
            this.time = time;
        }

        synchronized int call() throws Exception {
            if (time.elapsed().compareTo(openUntil) < 0) return -1;
            int status = http.send(HttpRequest.newBuilder(URL).build(), BodyHandlers.discarding()).statusCode();
            failures = status >= 500 ? failures + 1 : 0;
            if (failures >= threshold) openUntil = time.elapsed().plus(openFor);
            return status;
        }
    }

    /** Sends a GET to ratings on another thread, so that the test can move time while it waits. */
    static CompletableFuture<Integer> sendAsync(Mesh mesh, HttpRequest request) {
        return mesh.httpClient().sendAsync(request, BodyHandlers.discarding()).thenApply(r -> r.statusCode());
    }

    // ---- retries --------------------------------------------------------------------------------------

    @Test
    void clientThatRetriesWithBackoffPasses(Mesh mesh) throws Exception {
        mesh.faults().abort("ratings", 503).firstAttempts(2);
        assertThat(callWithRetries(mesh.httpClient(), 3, Duration.ofMillis(60), mesh.time())).isEqualTo(200);
        assertThat(mesh.exchanges("ratings")).hasRequestCount(3).hasBoundedRetries(3).retriedWithBackoff(Duration.ofMillis(60));
        assertThatThrownBy(() -> assertThat(mesh.exchanges("ratings")).retriedWithBackoff(Duration.ofMillis(61)))
                .hasMessageContaining("was retried 60.0 ms after exchange");
    }

    @Test
    void clientWithoutRetriesFailsTheBackoffCheck(Mesh mesh) throws Exception {
        mesh.faults().abort("ratings", 503).firstAttempts(1);
        assertThat(callWithRetries(mesh.httpClient(), 0, Duration.ZERO, mesh.time())).isEqualTo(503);
        assertThatThrownBy(() -> assertThat(mesh.exchanges("ratings")).retriedWithBackoff(Duration.ofMillis(50)))
                .hasMessageContaining("expected the client to retry with a back-off of at least 50.0 ms but it never sent a call twice (1 calls)")
                .hasMessageMatching("(?s).*\\n\\s+\\d+\\s+GET\\s+ratings:9080/ratings/1\\s+ratings/http\\[0]\\s+v1\\s+503\\s+FI\\s+0.*");
    }

    @Test
    void clientThatRetriesWithoutBoundFailsBothChecks(Mesh mesh) throws Exception {
        mesh.faults().abort("ratings", 503);
        assertThat(callWithRetries(mesh.httpClient(), 9, Duration.ZERO, mesh.time())).isEqualTo(503);
        assertThatThrownBy(() -> assertThat(mesh.exchanges("ratings")).hasBoundedRetries(3))
                .hasMessageContaining("expected every call to be retried at most 3 times but call GET ratings:9080/ratings/1 was retried 9 times")
                .hasMessageMatching("(?s).*(503\\s+FI\\s+0.*){10}");
        // Back to back: on virtual time, no time at all between the tries.
        assertThatThrownBy(() -> assertThat(mesh.exchanges("ratings")).retriedWithBackoff(Duration.ofMillis(1)))
                .hasMessageContaining("expected a back-off of at least 1.0 ms between the tries of a call")
                .hasMessageContaining("was retried 0.0 ms after exchange");
    }

    @Test
    void retriesBackToBackFailTheBackoffCheckNamingTheGap(Mesh mesh) throws Exception {
        mesh.faults().abort("ratings", 503).requests(1);
        callWithRetries(mesh.httpClient(), 3, Duration.ZERO, mesh.time());
        assertThatThrownBy(() -> assertThat(mesh.exchanges("ratings")).retriedWithBackoff(Duration.ofMillis(50)))
                .hasMessageMatching("(?s)expected a back-off of at least 50.0 ms between the tries of a call but call "
                        + "GET ratings:9080/ratings/1 was retried 0\\.0 ms after exchange \\d+ ended \\(exchange \\d+\\):\\n.*503\\s+FI.*200.*");
    }

    @Test
    void callsAreToldApartByAnIdempotencyKey(Mesh mesh) throws Exception {
        mesh.faults().abort("ratings", 503).firstAttempts(1, CallKey.header("idempotency-key"));
        for (String key : List.of("a", "a", "b", "b")) {
            mesh.httpClient().send(HttpRequest.newBuilder(URL).header("idempotency-key", key).build(), BodyHandlers.discarding());
        }
        assertThat(mesh.exchanges("ratings")).byCall(CallKey.header("idempotency-key")).hasBoundedRetries(1)
                .allHaveRequestHeader("idempotency-key").hasInjectedAborts(2);
    }

    // ---- timeouts -------------------------------------------------------------------------------------

    @Test
    @InjectDelay(host = "ratings", delay = "5s")
    void clientWithATimeoutGivesUpAndTheProxySeesItGo(Mesh mesh) throws Exception {
        // The client's own timeout is the JDK's, on the wall clock; the proxy's 5 s delay waits on virtual time,
        // which the test moves 150 ms into the delay: the proxy sees the client go at exactly that point. The
        // client's 2 s must outlast the test's wait for the delay timer and its advance on a loaded machine, or
        // the client would leave at virtual 0 ms.
        HttpRequest request = HttpRequest.newBuilder(URL).timeout(Duration.ofSeconds(2)).build();
        CompletableFuture<Integer> call = sendAsync(mesh, request);
        mesh.time().awaitTimers(1, Duration.ofSeconds(10)).advance(Duration.ofMillis(150));
        assertThatThrownBy(() -> call.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(HttpTimeoutException.class);
        mesh.awaitRequests("ratings", atLeast(1));
        assertThat(mesh.exchanges("ratings")).allHaveFlag(ResponseFlag.DC).gaveUpWithin(Duration.ofMillis(150));
        assertThatThrownBy(() -> assertThat(mesh.exchanges("ratings")).gaveUpWithin(Duration.ofMillis(149)))
                .hasMessageContaining("within 149.0 ms but it waited longer for 1");
    }

    @Test
    @InjectDelay(host = "ratings", delay = "700ms")
    void clientWithoutATimeoutFailsTheGiveUpCheck(Mesh mesh) throws Exception {
        CompletableFuture<Integer> call = sendAsync(mesh, HttpRequest.newBuilder(URL).build());
        mesh.time().awaitTimers(1, Duration.ofSeconds(10)).advance(Duration.ofMillis(700));
        assertThat(call.get(10, TimeUnit.SECONDS)).isEqualTo(200);
        assertThatThrownBy(() -> assertThat(mesh.exchanges("ratings")).gaveUpWithin(Duration.ofMillis(300)))
                .hasMessageContaining("expected the client to give up on a request within 300.0 ms but it waited longer for 1")
                .hasMessageMatching("(?s).*GET\\s+ratings:9080/ratings/1\\s+ratings/http\\[0]\\s+v1\\s+200\\s+DI\\s+1\\s+700\\.0.*");
    }

    // ---- circuit breaking -----------------------------------------------------------------------------

    @Test
    @InjectAbort(host = "ratings", status = 503, requests = "1-3")
    void clientWithACircuitBreakerStopsCalling(Mesh mesh) throws Exception {
        CircuitBreaker breaker = new CircuitBreaker(mesh.httpClient(), 3, Duration.ofMillis(300), mesh.time());
        for (int i = 0; i < 3; i++) assertThat(breaker.call()).isEqualTo(503);
        assertThat(breaker.call()).isEqualTo(-1);
        mesh.time().advance(Duration.ofMillis(299));
        assertThat(breaker.call()).isEqualTo(-1);
        mesh.time().advance(Duration.ofMillis(1));
        assertThat(breaker.call()).isEqualTo(200);
        assertThat(mesh.exchanges("ratings")).hasRequestCount(4).stoppedCallingAfter(3, Duration.ofMillis(300));
        assertThatThrownBy(() -> assertThat(mesh.exchanges("ratings")).stoppedCallingAfter(3, Duration.ofMillis(301)))
                .hasMessageContaining("but the client sent 1 more, the first 300.0 ms later");
    }

    @Test
    @InjectAbort(host = "ratings", status = 503, requests = "1-3")
    void clientWithoutACircuitBreakerFailsTheCheck(Mesh mesh) throws Exception {
        for (int i = 0; i < 5; i++) mesh.httpClient().send(HttpRequest.newBuilder(URL).build(), BodyHandlers.discarding());
        assertThatThrownBy(() -> assertThat(mesh.exchanges("ratings")).stoppedCallingAfter(3, Duration.ofMillis(250)))
                .hasMessageMatching("(?s)expected no request for 250.0 ms after 3 consecutive failures \\(up to exchange \\d+\\) "
                        + "but the client sent 2 more, the first 0\\.0 ms later:\\n.*(503\\s+FI.*){3}(200\\s+-.*){2}");
    }

    @Test
    void neverFailingThreeTimesInARowIsNotACircuitBreaker(Mesh mesh) throws Exception {
        mesh.httpClient().send(HttpRequest.newBuilder(URL).build(), BodyHandlers.discarding());
        assertThatThrownBy(() -> assertThat(mesh.exchanges("ratings")).stoppedCallingAfter(3, Duration.ofMillis(250)))
                .hasMessageContaining("expected 3 consecutive failures to trip a circuit breaker but there never were 3 in a row");
    }

    // ---- bulkheads ------------------------------------------------------------------------------------

    @Test
    @InjectDelay(host = "ratings", delay = "150ms")
    void clientWithABulkheadKeepsToItsLimit(Mesh mesh) throws Exception {
        Semaphore bulkhead = new Semaphore(2);
        // Three rounds of two: each round's delays are set, then 150 ms pass and the next two go.
        callConcurrently(mesh, 6, 2, Duration.ofMillis(150), () -> {
            bulkhead.acquire();
            try {
                return mesh.httpClient().send(HttpRequest.newBuilder(URL).build(), BodyHandlers.discarding()).statusCode();
            } finally {
                bulkhead.release();
            }
        });
        assertThat(mesh.exchanges("ratings")).hasRequestCount(6).neverExceededConcurrency(2);
        assertThatThrownBy(() -> assertThat(mesh.exchanges("ratings")).neverExceededConcurrency(1))
                .hasMessageContaining("expected at most 1 requests in flight at once but 2 were");
    }

    @Test
    @InjectDelay(host = "ratings", delay = "1s")
    void clientWithoutABulkheadFailsTheCheck(Mesh mesh) throws Exception {
        callConcurrently(mesh, 4, 4, Duration.ofSeconds(1),
                () -> mesh.httpClient().send(HttpRequest.newBuilder(URL).build(), BodyHandlers.discarding()).statusCode());
        assertThatThrownBy(() -> assertThat(mesh.exchanges("ratings")).neverExceededConcurrency(2))
                .hasMessageMatching("(?s)expected at most 2 requests in flight at once but 4 were when exchange \\d+ started:\\n(.*GET\\s+ratings:9080/ratings/1.*){4}");
    }

    /**
     * Makes {@code calls} calls at once, each delayed {@code delay} by the proxy: whenever {@code perRound} delays
     * are set, moves time by {@code delay}, until all have answered.
     */
    private static void callConcurrently(Mesh mesh, int calls, int perRound, Duration delay,
                                         java.util.concurrent.Callable<Integer> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(calls);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < calls; i++) results.add(pool.submit(call));
            for (int round = 0; round < calls / perRound; round++) {
                // A round's delays fire into upstream connects, whose connect timeouts are timers too: wait until
                // the round has answered (its connects done, their timers gone) so that only the next round's
                // delays can make up the count.
                if (round > 0) mesh.awaitRequests("ratings", atLeast(round * perRound));
                mesh.time().awaitTimers(perRound, Duration.ofSeconds(10)).advance(delay);
            }
            for (Future<Integer> f : results) assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo(200);
        } finally {
            pool.shutdownNow();
        }
        mesh.awaitRequests("ratings", atLeast(calls));
    }

    // ---- durations, headers, faults, soft assertions ---------------------------------------------------

    @Test
    @InjectDelay(host = "ratings", delay = "1s", requests = "2")
    void durationsHeadersAndInjectedFaults(Mesh mesh) throws Exception {
        mesh.httpClient().send(HttpRequest.newBuilder(URL).header("x-trace", "t0").build(), BodyHandlers.discarding());
        CompletableFuture<Integer> second = sendAsync(mesh, HttpRequest.newBuilder(URL).header("x-trace", "t1").build());
        mesh.time().awaitTimers(1, Duration.ofSeconds(10)).advance(Duration.ofSeconds(1));
        assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo(200);
        assertThat(mesh.exchanges("ratings")).allHaveRequestHeader("x-trace").hasInjectedDelays(1).hasInjectedAborts(0);
        assertThat(mesh.exchanges("ratings").get(0)).hasRequestHeader("x-trace", "t0").tookAtMost(Duration.ZERO);
        assertThat(mesh.exchanges("ratings").get(1)).hasInjectedDelay(Duration.ofSeconds(1))
                .tookAtLeast(Duration.ofSeconds(1)).tookAtMost(Duration.ofSeconds(1));
        assertThatThrownBy(() -> assertThat(mesh.exchanges("ratings")).allCompletedWithin(Duration.ofMillis(999)))
                .hasMessageContaining("expected every exchange to complete within 999 ms but 1 of 2 did not");
    }

    @Test
    void softAssertionsCollectEveryFailure(Mesh mesh) throws Exception {
        mesh.httpClient().send(HttpRequest.newBuilder(URL).build(), BodyHandlers.discarding());
        assertThatThrownBy(() -> MeshSoftAssertions.assertSoftly(softly -> {
            softly.assertThat(mesh.exchanges("ratings")).hasRequestCount(2).allHaveStatus(503);
            softly.assertThat(mesh.exchanges("ratings").get(0)).hasInjectedAbort(503);
        })).isInstanceOfSatisfying(AssertJMultipleFailuresError.class, e -> assertThat(e.getFailures()).hasSize(3))
                .hasMessageContaining("expected 2 exchanges but the proxy recorded 1")
                .hasMessageContaining("expected every exchange to have status 503")
                .hasMessageContaining("expected an injected abort with 503 but it was none");
    }
}
