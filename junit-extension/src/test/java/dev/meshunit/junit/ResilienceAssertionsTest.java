package dev.meshunit.junit;

import static dev.meshunit.assertj.MeshAssertions.assertThat;
import static dev.meshunit.junit.RequestCount.atLeast;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.meshunit.assertj.MeshSoftAssertions;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import org.assertj.core.error.AssertJMultipleFailuresError;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Each resilience check passes for a client that has the habit and fails, naming the exchanges, for one that
 * lacks it. The clients are a few lines of JDK HttpClient each; ratings answers through test-time faults.
 */
@MeshTest(config = "mesh/ratings")
class ResilienceAssertionsTest {
    static final TinyBackend RATINGS = TinyBackend.start("ratings");
    @Backend("ratings") static final int PORT = RATINGS.port();
    static final URI URL = URI.create("http://ratings:9080/ratings/1");

    @AfterAll
    static void stop() {
        RATINGS.close();
    }

    /** Calls ratings, retrying 5xx up to {@code maxRetries} times with a fixed back-off (its own sleep). */
    static int callWithRetries(HttpClient http, int maxRetries, Duration backoff) throws Exception {
        int status = 0;
        for (int attempt = 0; attempt <= maxRetries; attempt++) {
            if (attempt > 0 && !backoff.isZero()) Thread.sleep(backoff.toMillis());
            status = http.send(HttpRequest.newBuilder(URL).build(), BodyHandlers.discarding()).statusCode();
            if (status < 500) break;
        }
        return status;
    }

    /** Opens for {@code openFor} after {@code threshold} consecutive 5xx; while open it answers -1 without calling. */
    static final class CircuitBreaker {
        private final HttpClient http;
        private final int threshold;
        private final Duration openFor;
        private int failures;
        private long openUntil;

        CircuitBreaker(HttpClient http, int threshold, Duration openFor) {
            this.http = http;
            this.threshold = threshold;
            this.openFor = openFor;
        }

        synchronized int call() throws Exception {
            if (System.nanoTime() < openUntil) return -1;
            int status = http.send(HttpRequest.newBuilder(URL).build(), BodyHandlers.discarding()).statusCode();
            failures = status >= 500 ? failures + 1 : 0;
            if (failures >= threshold) openUntil = System.nanoTime() + openFor.toNanos();
            return status;
        }
    }

    // ---- retries --------------------------------------------------------------------------------------

    @Test
    void clientThatRetriesWithBackoffPasses(Mesh mesh) throws Exception {
        mesh.faults().abort("ratings", 503).firstAttempts(2);
        assertThat(callWithRetries(mesh.httpClient(), 3, Duration.ofMillis(60))).isEqualTo(200);
        assertThat(mesh.exchanges("ratings")).hasRequestCount(3).hasBoundedRetries(3).retriedWithBackoff(Duration.ofMillis(50));
    }

    @Test
    void clientWithoutRetriesFailsTheBackoffCheck(Mesh mesh) throws Exception {
        mesh.faults().abort("ratings", 503).firstAttempts(1);
        assertThat(callWithRetries(mesh.httpClient(), 0, Duration.ZERO)).isEqualTo(503);
        assertThatThrownBy(() -> assertThat(mesh.exchanges("ratings")).retriedWithBackoff(Duration.ofMillis(50)))
                .hasMessageContaining("expected the client to retry with a back-off of at least 50.0 ms but it never sent a call twice (1 calls)")
                .hasMessageMatching("(?s).*\\n\\s+\\d+\\s+GET\\s+ratings:9080/ratings/1\\s+ratings/http\\[0]\\s+v1\\s+503\\s+FI\\s+0.*");
    }

    @Test
    void clientThatRetriesWithoutBoundFailsBothChecks(Mesh mesh) throws Exception {
        mesh.faults().abort("ratings", 503);
        assertThat(callWithRetries(mesh.httpClient(), 9, Duration.ZERO)).isEqualTo(503);
        assertThatThrownBy(() -> assertThat(mesh.exchanges("ratings")).hasBoundedRetries(3))
                .hasMessageContaining("expected every call to be retried at most 3 times but call GET ratings:9080/ratings/1 was retried 9 times")
                .hasMessageMatching("(?s).*(503\\s+FI\\s+0.*){10}");
        // Back to back on real time: well under a 5 s back-off however busy the machine is.
        assertThatThrownBy(() -> assertThat(mesh.exchanges("ratings")).retriedWithBackoff(Duration.ofSeconds(5)))
                .hasMessageContaining("expected a back-off of at least 5000.0 ms between the tries of a call");
    }

    @Test
    void retriesBackToBackFailTheBackoffCheckNamingTheGap(Mesh mesh) throws Exception {
        mesh.faults().abort("ratings", 503).requests(1);
        callWithRetries(mesh.httpClient(), 3, Duration.ZERO);
        // Back to back on real time: well under a 5 s back-off however busy the machine is.
        assertThatThrownBy(() -> assertThat(mesh.exchanges("ratings")).retriedWithBackoff(Duration.ofSeconds(5)))
                .hasMessageMatching("(?s)expected a back-off of at least 5000.0 ms between the tries of a call but call "
                        + "GET ratings:9080/ratings/1 was retried \\d+\\.\\d ms after exchange \\d+ ended \\(exchange \\d+\\):\\n.*503\\s+FI.*200.*");
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
        HttpRequest request = HttpRequest.newBuilder(URL).timeout(Duration.ofMillis(200)).build();
        assertThatThrownBy(() -> mesh.httpClient().send(request, BodyHandlers.discarding())).isInstanceOf(HttpTimeoutException.class);
        mesh.awaitRequests("ratings", atLeast(1));
        // The client's own 200 ms timeout runs on real time: a generous bound, still well before the 5 s delay.
        assertThat(mesh.exchanges("ratings")).allHaveFlag(ResponseFlag.DC).gaveUpWithin(Duration.ofSeconds(3));
    }

    @Test
    @InjectDelay(host = "ratings", delay = "700ms")
    void clientWithoutATimeoutFailsTheGiveUpCheck(Mesh mesh) throws Exception {
        mesh.httpClient().send(HttpRequest.newBuilder(URL).build(), BodyHandlers.discarding());
        // The extension's proxy runs on real time: the exchange took the 700 ms delay at least, more on a busy machine.
        assertThatThrownBy(() -> assertThat(mesh.exchanges("ratings")).gaveUpWithin(Duration.ofMillis(300)))
                .hasMessageContaining("expected the client to give up on a request within 300.0 ms but it waited longer for 1")
                .hasMessageMatching("(?s).*GET\\s+ratings:9080/ratings/1\\s+ratings/http\\[0]\\s+v1\\s+200\\s+DI\\s+1\\s+(?:[7-9]\\d\\d|\\d{4,})\\.\\d.*");
    }

    // ---- circuit breaking -----------------------------------------------------------------------------

    @Test
    @InjectAbort(host = "ratings", status = 503, requests = "1-3")
    void clientWithACircuitBreakerStopsCalling(Mesh mesh) throws Exception {
        CircuitBreaker breaker = new CircuitBreaker(mesh.httpClient(), 3, Duration.ofMillis(300));
        for (int i = 0; i < 3; i++) assertThat(breaker.call()).isEqualTo(503);
        assertThat(breaker.call()).isEqualTo(-1);
        await().pollInterval(Duration.ofMillis(20)).atMost(Duration.ofSeconds(5)).until(breaker::call, s -> s == 200);
        assertThat(mesh.exchanges("ratings")).hasRequestCount(4).stoppedCallingAfter(3, Duration.ofMillis(250));
    }

    @Test
    @InjectAbort(host = "ratings", status = 503, requests = "1-3")
    void clientWithoutACircuitBreakerFailsTheCheck(Mesh mesh) throws Exception {
        for (int i = 0; i < 5; i++) mesh.httpClient().send(HttpRequest.newBuilder(URL).build(), BodyHandlers.discarding());
        // Back to back on real time: both later calls fall within 5 s however busy the machine is (with 250 ms,
        // tools/flake-check.sh saw the fifth call come 250 ms after the third on a loaded machine).
        assertThatThrownBy(() -> assertThat(mesh.exchanges("ratings")).stoppedCallingAfter(3, Duration.ofSeconds(5)))
                .hasMessageMatching("(?s)expected no request for 5000.0 ms after 3 consecutive failures \\(up to exchange \\d+\\) "
                        + "but the client sent 2 more, the first \\d+\\.\\d ms later:\\n.*(503\\s+FI.*){3}(200\\s+-.*){2}");
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
        callConcurrently(mesh, 6, () -> {
            bulkhead.acquire();
            try {
                return mesh.httpClient().send(HttpRequest.newBuilder(URL).build(), BodyHandlers.discarding()).statusCode();
            } finally {
                bulkhead.release();
            }
        });
        assertThat(mesh.exchanges("ratings")).hasRequestCount(6).neverExceededConcurrency(2);
    }

    @Test
    @InjectDelay(host = "ratings", delay = "1s") // long enough for four real clients to be in flight at once
    void clientWithoutABulkheadFailsTheCheck(Mesh mesh) throws Exception {
        callConcurrently(mesh, 4, () -> mesh.httpClient().send(HttpRequest.newBuilder(URL).build(), BodyHandlers.discarding()).statusCode());
        assertThatThrownBy(() -> assertThat(mesh.exchanges("ratings")).neverExceededConcurrency(2))
                .hasMessageMatching("(?s)expected at most 2 requests in flight at once but 4 were when exchange \\d+ started:\\n(.*GET\\s+ratings:9080/ratings/1.*){4}");
    }

    private static void callConcurrently(Mesh mesh, int calls, java.util.concurrent.Callable<Integer> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(calls);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < calls; i++) results.add(pool.submit(call));
            for (Future<Integer> f : results) assertThat(f.get()).isEqualTo(200);
        } finally {
            pool.shutdownNow();
        }
        mesh.awaitRequests("ratings", atLeast(calls));
    }

    // ---- durations, headers, faults, soft assertions ---------------------------------------------------

    @Test
    @InjectDelay(host = "ratings", delay = "1s", requests = "2")
    void durationsHeadersAndInjectedFaults(Mesh mesh) throws Exception {
        for (int i = 0; i < 2; i++) {
            mesh.httpClient().send(HttpRequest.newBuilder(URL).header("x-trace", "t" + i).build(), BodyHandlers.discarding());
        }
        // Real time: the undelayed exchange gets a generous bound that the delayed one still exceeds.
        assertThat(mesh.exchanges("ratings")).allHaveRequestHeader("x-trace").hasInjectedDelays(1).hasInjectedAborts(0);
        assertThat(mesh.exchanges("ratings").get(0)).hasRequestHeader("x-trace", "t0").tookAtMost(Duration.ofMillis(900));
        assertThat(mesh.exchanges("ratings").get(1)).hasInjectedDelay(Duration.ofSeconds(1)).tookAtLeast(Duration.ofSeconds(1));
        assertThatThrownBy(() -> assertThat(mesh.exchanges("ratings")).allCompletedWithin(Duration.ofMillis(900)))
                .hasMessageContaining("expected every exchange to complete within 900 ms but 1 of 2 did not");
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
