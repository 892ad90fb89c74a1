package dev.meshunit.examples;

import static dev.meshunit.examples.Bookinfo.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.meshunit.MeshProxy;
import dev.meshunit.VirtualTime;
import dev.meshunit.journal.Exchange;
import dev.meshunit.journal.ResponseFlag;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Istio's traffic-management tasks, with Istio's own sample files unchanged, and the outcomes Istio's docs
 * describe (see ../shared/semantics/ISTIO-TASKS.md).
 */
class IstioTasksTest {
    static Bookinfo bookinfo;

    @BeforeAll
    static void start() {
        assumeTrue(Bookinfo.samples() != null, "Istio's samples are not beside this checkout");
        bookinfo = new Bookinfo();
    }

    @AfterAll
    static void stop() {
        if (bookinfo != null) bookinfo.close();
    }

    @Test
    void requestRoutingAllV1ThenJasonToV2() {
        try (MeshProxy proxy = MeshProxy.builder().config(bookinfo.config(
                "bookinfo/networking/destination-rule-all.yaml", "bookinfo/networking/virtual-service-all-v1.yaml")).start()) {
            HttpClient client = Bookinfo.client(proxy);
            for (int i = 0; i < 20; i++) assertThat(get(client, "reviews", null).body()).isEqualTo("reviews-v1");
            assertThat(get(client, "reviews", "jason").body()).as("no jason rule yet").isEqualTo("reviews-v1");

            proxy.updateConfig(bookinfo.config("bookinfo/networking/destination-rule-all.yaml",
                    "bookinfo/networking/virtual-service-all-v1.yaml", "bookinfo/networking/virtual-service-reviews-test-v2.yaml"));
            assertThat(get(client, "reviews", "jason").body()).isEqualTo("reviews-v2");
            assertThat(get(client, "reviews", "Jason").body()).as("exact match is case-sensitive").isEqualTo("reviews-v1");
            assertThat(get(client, "reviews", "alice").body()).isEqualTo("reviews-v1");
            assertThat(get(client, "details", "jason").body()).isEqualTo("details-v1");
        }
    }

    @Test
    void trafficShiftingFiftyFiftyThenAllV3() {
        try (MeshProxy proxy = MeshProxy.builder().seed(11).config(bookinfo.config(
                "bookinfo/networking/destination-rule-all.yaml", "bookinfo/networking/virtual-service-reviews-50-v3.yaml")).start()) {
            HttpClient client = Bookinfo.client(proxy);
            int v3 = 0;
            for (int i = 0; i < 400; i++) if (get(client, "reviews", null).body().equals("reviews-v3")) v3++;
            assertThat(v3).as("50%% within 3 sigma over 400").isBetween(170, 230);
            proxy.updateConfig(bookinfo.config("bookinfo/networking/destination-rule-all.yaml",
                    "bookinfo/networking/virtual-service-reviews-v3.yaml"));
            for (int i = 0; i < 20; i++) assertThat(get(client, "reviews", null).body()).isEqualTo("reviews-v3");
        }
    }

    @Test
    void faultInjectionAbortForJasonNeverReachesRatings() {
        try (MeshProxy proxy = MeshProxy.builder().config(bookinfo.config("bookinfo/networking/destination-rule-all.yaml",
                "bookinfo/networking/virtual-service-all-v1.yaml", "bookinfo/networking/virtual-service-ratings-test-abort.yaml")).start()) {
            HttpClient client = Bookinfo.client(proxy);
            int before = bookinfo.backend("ratings-v1").calls.get();
            HttpResponse<String> r = get(client, "ratings", "jason");
            assertThat(r.statusCode()).isEqualTo(500);
            assertThat(r.body()).isEqualTo("fault filter abort");
            assertThat(bookinfo.backend("ratings-v1").calls.get()).isEqualTo(before);
            Exchange e = proxy.journal().exchanges().get(0);
            assertThat(e.flags()).containsExactly(ResponseFlag.FI);
            assertThat(e.attempts()).as("no retry, no upstream exchange").isEmpty();
            assertThat(get(client, "ratings", "alice").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void requestTimeoutHalfASecondAgainstASlowReviews() throws Exception {
        bookinfo.backend("reviews-v2").delayMs.set(2000);
        // The proxy's own timing, so on virtual time with exact values: the backend's 2 s are real, but the proxy
        // gives up when the test moves its time past 0.5 s.
        VirtualTime time = VirtualTime.create();
        try (MeshProxy proxy = MeshProxy.builder().virtualTime(time).config(bookinfo.config(
                "bookinfo/networking/destination-rule-all.yaml", "istio.io-tasks/request-timeouts-reviews-timeout-0.5s.yaml")).start()) {
            CompletableFuture<HttpResponse<String>> answer = CompletableFuture.supplyAsync(
                    () -> get(Bookinfo.client(proxy), "reviews", null), Async.THREAD_PER_TASK);
            awaitNextTimer(time, Duration.ofMillis(500));
            time.advance(Duration.ofMillis(499));
            assertThat(answer).isNotDone();
            time.advance(Duration.ofMillis(1));
            HttpResponse<String> r = answer.get(20, TimeUnit.SECONDS);
            assertThat(r.statusCode()).isEqualTo(504);
            assertThat(r.body()).isEqualTo("upstream request timeout");
            Exchange e = proxy.journal().exchanges().get(0);
            assertThat(e.durationMs()).isEqualTo(500.0);
            assertThat(e.flags()).containsExactly(ResponseFlag.UT);
            assertThat(e.attempts()).as("Envoy never retries a route timeout").hasSize(1);
        } finally {
            bookinfo.backend("reviews-v2").delayMs.set(0);
        }
    }

    @Test
    void ratingsDelayOfTwoSecondsWithTheDeprecatedPercentField() throws Exception {
        VirtualTime time = VirtualTime.create();
        try (MeshProxy proxy = MeshProxy.builder().virtualTime(time).config(bookinfo.config(
                "bookinfo/networking/destination-rule-all.yaml", "istio.io-tasks/request-timeouts-ratings-delay-2s.yaml")).start()) {
            CompletableFuture<HttpResponse<String>> answer = CompletableFuture.supplyAsync(
                    () -> get(Bookinfo.client(proxy), "ratings", null), Async.THREAD_PER_TASK);
            awaitNextTimer(time, Duration.ofSeconds(2));
            time.advance(Duration.ofMillis(1999));
            assertThat(answer).isNotDone();
            time.advance(Duration.ofMillis(1));
            assertThat(answer.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            Exchange e = proxy.journal().exchanges().get(0);
            assertThat(e.flags()).containsExactly(ResponseFlag.DI);
            assertThat(e.durationMs()).as("the backend answers at once in proxy time").isEqualTo(2000.0);
        }
    }

    /** Waits (real time, bounded) until the proxy has set the timer under test: the next one due is {@code in}. */
    private static void awaitNextTimer(VirtualTime time, Duration in) {
        await().atMost(Duration.ofSeconds(20)).until(() -> in.equals(time.nextTimerIn()));
    }

    @Test
    void detailsAbortWithAnUnreachableSecondRule() {
        var result = dev.meshunit.config.load.ConfigLoader.create()
                .load(Bookinfo.samples().resolve("bookinfo/networking/fault-injection-details-v1.yaml"));
        assertThat(result.warnings()).anySatisfy(w -> assertThat(w.toString()).contains("IST0130"));
        try (MeshProxy proxy = MeshProxy.builder().config(bookinfo.config("bookinfo/networking/destination-rule-all.yaml",
                "bookinfo/networking/fault-injection-details-v1.yaml")).start()) {
            HttpResponse<String> r = get(Bookinfo.client(proxy), "details", null);
            assertThat(r.statusCode()).isEqualTo(555);
        }
    }

    @Test
    void retriesConceptDefaultRetryOnDoesNotRetryA503ButRetriesConnectFailures() {
        try (MeshProxy proxy = MeshProxy.builder().config(bookinfo.config("bookinfo/networking/destination-rule-all.yaml",
                "istio.io-tasks/concepts-retries-ratings.yaml")).start()) {
            HttpClient client = Bookinfo.client(proxy);
            assertThat(get(client, "ratings", null).statusCode()).isEqualTo(200);
            List<Exchange> all = proxy.journal().exchanges();
            assertThat(all.get(0).destination().subset()).isEqualTo("v1");
            assertThat(all.get(0).attempts()).hasSize(1);
        }
    }
}
