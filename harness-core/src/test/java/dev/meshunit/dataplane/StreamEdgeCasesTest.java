package dev.meshunit.dataplane;

import static dev.meshunit.testing.Journals.awaitExchange;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshunit.MeshProxy;
import dev.meshunit.VirtualTime;
import dev.meshunit.journal.Exchange;
import dev.meshunit.journal.ResponseFlag;
import dev.meshunit.testing.Async;
import dev.meshunit.testing.OneService;
import dev.meshunit.testing.RawHttp;
import dev.meshunit.testing.RawUpstream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Edge cases found in review: a body left unread, a waiter that gives up, a route timeout and outlier detection. */
class StreamEdgeCasesTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    static final String DR = """
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: svc}
            spec:
              host: svc
              trafficPolicy:
            """;

    /** A local reply (fault abort after a delay) while autoRead is off for an unread body: the connection stalls. */
    @Test
    void keepAliveConnectionServesNextRequestAfterAbortWithUnreadBody() throws Exception {
        try (RawUpstream up = RawUpstream.answering(r -> RawUpstream.ok("ok"));
             MeshProxy proxy = MeshProxy.builder().maxBufferedBodyBytes(1024)
                     .config(OneService.config(up.port(),
                             "fault: {delay: {fixedDelay: 300ms, percentage: {value: 100}}, abort: {httpStatus: 503, percentage: {value: 100}}}"))
                     .start();
             RawHttp client = new RawHttp(proxy.port())) {
            String body = "x".repeat(8192);
            client.write("POST /a HTTP/1.1\r\nHost: svc:8080\r\nContent-Length: " + body.length() + "\r\n\r\n"
                    + body.substring(0, 4096));
            client.write(body.substring(4096));
            RawHttp.Response first = client.readResponse(false);
            assertThat(first.status()).isEqualTo(503);
            assertThat(first.header("connection")).isNull(); // keep-alive: the client may reuse the connection
            client.write("GET /b HTTP/1.1\r\nHost: svc:8080\r\n\r\n");
            RawHttp.Response second = CompletableFuture.supplyAsync(() -> client.readResponse(false),
                    Async.THREAD_PER_TASK)
                    .get(5, TimeUnit.SECONDS); // fails with TimeoutException: the rest of /a is never read
            assertThat(second.status()).isEqualTo(503);
        }
    }

    /** A waiter that gave up (route timeout) keeps its http1MaxPendingRequests slot: the next request overflows. */
    @Test
    void pendingSlotIsFreedWhenTheWaiterGivesUp() throws Exception {
        VirtualTime time = VirtualTime.create();
        CountDownLatch release = new CountDownLatch(1);
        try (RawUpstream up = RawUpstream.answering(r -> {
                 if (r.target().equals("/slow")) {
                     try { release.await(10, TimeUnit.SECONDS); } catch (InterruptedException e) { Thread.currentThread().interrupt(); }
                 }
                 return RawUpstream.ok("ok");
             });
             MeshProxy proxy = MeshProxy.builder().virtualTime(time)
                     .config(OneService.config(up.port(), "", DR
                             + "    connectionPool: {tcp: {maxConnections: 1}, http: {http1MaxPendingRequests: 1}}\n"))
                     .start()) {
            CompletableFuture<RawHttp.Response> slow = CompletableFuture.supplyAsync(
                    () -> RawHttp.get(proxy.port(), "svc:8080", "/slow"), Async.THREAD_PER_TASK);
            // /slow holds the only connection once the upstream has it.
            await().atMost(WAIT).until(() -> up.requests().size() == 1);
            CompletableFuture<RawHttp.Response> gaveUp = CompletableFuture.supplyAsync(
                    () -> RawHttp.get(proxy.port(), "svc:8080", "/b", "x-envoy-upstream-rq-timeout-ms: 200"),
                    Async.THREAD_PER_TASK);
            // /b waits for the connection; its route timeout is the only timer.
            time.awaitTimers(1, WAIT);
            time.advance(Duration.ofMillis(200));
            assertThat(gaveUp.get(10, TimeUnit.SECONDS).status()).isEqualTo(504);
            // /b is gone; /c is the only request waiting, within http1MaxPendingRequests: 1
            CompletableFuture<RawHttp.Response> c = CompletableFuture.supplyAsync(
                    () -> RawHttp.get(proxy.port(), "svc:8080", "/c"), Async.THREAD_PER_TASK);
            await().atMost(WAIT).until(() -> proxy.clusterStats().get(0).breakers().pendingRequests() == 1);
            release.countDown();
            assertThat(c.get(10, TimeUnit.SECONDS).status()).as("flags %s", awaitExchange(proxy, "/c").flags()).isEqualTo(200);
            assertThat(slow.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
        }
    }

    /** An upstream that closes mid-body (Content-Length not reached) is a connection termination (UC), not UPE. */
    @Test
    void upstreamClosingMidBodyIsUC() throws Exception {
        try (RawUpstream up = RawUpstream.start(c -> {
                 c.read();
                 c.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nhalf");
                 c.close();
             });
             MeshProxy proxy = MeshProxy.builder().config(OneService.config(up.port())).start();
             RawHttp client = new RawHttp(proxy.port())) {
            client.write("GET /cut HTTP/1.1\r\nHost: svc:8080\r\n\r\n");
            client.readResponse(true);
            Exchange e = awaitExchange(proxy, "/cut");
            assertThat(e.flags()).contains(ResponseFlag.UC).doesNotContain(ResponseFlag.UPE);
        }
    }

    /** Envoy records a route timeout of an attempt awaiting headers as LocalOriginTimeout for outlier detection. */
    @Test
    void routeTimeoutCountsForOutlierDetection() throws Exception {
        try (RawUpstream up = RawUpstream.start(c -> {
                 while (c.read() != null) {
                     try { Thread.sleep(10_000); } catch (InterruptedException e) { return; }
                 }
             });
             MeshProxy proxy = MeshProxy.builder()
                     .config(OneService.config(up.port(), "timeout: 100ms", DR
                             + "    outlierDetection: {consecutive5xxErrors: 2, maxEjectionPercent: 100, interval: 1s, baseEjectionTime: 30s}\n"))
                     .start()) {
            assertThat(RawHttp.get(proxy.port(), "svc:8080", "/1").status()).isEqualTo(504);
            assertThat(RawHttp.get(proxy.port(), "svc:8080", "/2").status()).isEqualTo(504);
            assertThat(proxy.journal().events()).as("ejection after two route timeouts").hasSize(1);
        }
    }

    /** Lost wake-up: a waiter enqueued just after a connection on another loop closed is never woken. */
    @Test
    void noWaiterIsStrandedUnderConnectionChurn() throws Exception {
        try (RawUpstream up = RawUpstream.answering(r -> RawUpstream.ok("ok"));
             MeshProxy proxy = MeshProxy.builder().ioThreads(4)
                     .config(OneService.config(up.port(), "", DR
                             + "    connectionPool: {tcp: {maxConnections: 1}, http: {http1MaxPendingRequests: 1000, maxRequestsPerConnection: 1}}\n"))
                     .start()) {
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(16);
            try {
                for (int round = 0; round < 100; round++) {
                    java.util.List<java.util.concurrent.Future<Integer>> fs = new java.util.ArrayList<>();
                    for (int i = 0; i < 16; i++) {
                        fs.add(pool.submit(() -> RawHttp.get(proxy.port(), "svc:8080", "/r").status()));
                    }
                    for (var f : fs) assertThat(f.get(5, TimeUnit.SECONDS)).as("round " + round).isEqualTo(200);
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /** Envoy starts the route timeout once the whole request is read: a slow upload is not a slow upstream. */
    @Test
    void routeTimeoutRunsFromTheEndOfTheRequest() throws Exception {
        VirtualTime time = VirtualTime.create();
        try (RawUpstream up = RawUpstream.answering(r -> RawUpstream.ok("got " + r.body().length));
             MeshProxy proxy = MeshProxy.builder().virtualTime(time).config(OneService.config(up.port(), "timeout: 300ms")).start();
             RawHttp client = new RawHttp(proxy.port())) {
            client.write("POST /upload HTTP/1.1\r\nHost: svc:8080\r\nContent-Length: 10\r\n\r\n12345");
            // Connected upstream (the connect timeout is gone) and half the body read: no timer runs yet.
            await().atMost(WAIT).until(() -> up.connections() == 1 && time.pendingTimers() == 0);
            time.advance(Duration.ofSeconds(1)); // the client, not the upstream, is slow: longer than the route timeout
            client.write("67890");
            RawHttp.Response r = client.readResponse(false);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("got 10");
            assertThat(awaitExchange(proxy, "/upload").durationMs()).isEqualTo(1000.0);
        }
    }
}
