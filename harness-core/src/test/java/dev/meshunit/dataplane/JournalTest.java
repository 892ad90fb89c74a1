package dev.meshunit.dataplane;

import static dev.meshunit.testing.Configs.serviceEntry;
import static dev.meshunit.testing.Configs.yaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshunit.MeshProxy;
import dev.meshunit.journal.Exchange;
import dev.meshunit.journal.JournalJson;
import dev.meshunit.journal.ResponseFlag;
import dev.meshunit.testing.Async;
import dev.meshunit.testing.RawHttp;
import dev.meshunit.testing.TestBackend;
import dev.meshunit.testing.TestBackend.Reply;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The journal: what it records, its bound, its JSON, and a client that gives up. */
class JournalTest {

    @Test
    void jsonHasTheDocumentedFieldNames() throws Exception {
        try (TestBackend b = TestBackend.named("b");
             MeshProxy proxy = MeshProxy.builder().config(yaml(serviceEntry("svc", b), b)).seed(5).start()) {
            RawHttp.get(proxy.port(), "svc:9080", "/a?b=c");
            JsonNode e = new ObjectMapper().readTree(JournalJson.toJson(proxy.journal().exchanges())).get(0);
            for (String field : new String[] {"id", "method", "authority", "path", "route", "destination", "attempts",
                    "fault", "status", "flags", "durationMs"}) {
                assertThat(e.has(field)).as(field).isTrue();
            }
            assertThat(e.get("destination").get("host").asText()).isEqualTo("svc.default.svc.cluster.local");
            assertThat(e.get("destination").get("port").asInt()).isEqualTo(9080);
            assertThat(e.get("attempts").get(0).get("endpoint").asText()).isEqualTo("127.0.0.1:" + b.port());
            assertThat(e.get("attempts").get(0).get("status").asInt()).isEqualTo(200);
            assertThat(e.get("fault").has("delayMs")).isTrue();
            assertThat(e.get("fault").has("abortStatus")).isTrue();
            assertThat(e.get("path").asText()).isEqualTo("/a?b=c");
        }
    }

    @Test
    void boundedMemoryKeepsCountersAndSaysWhatItDropped() {
        try (TestBackend b = TestBackend.named("b");
             MeshProxy proxy = MeshProxy.builder().config(yaml(serviceEntry("svc", b), b)).journalCapacity(10).start();
             RawHttp c = new RawHttp(proxy.port())) {
            for (int i = 0; i < 25; i++) c.send("GET", "svc:9080", "/" + i, null);
            assertThat(proxy.journal().exchanges()).hasSize(10);
            assertThat(proxy.journal().exchanges().get(0).path()).isEqualTo("/15");
            assertThat(proxy.journal().recorded()).isEqualTo(25);
            assertThat(proxy.journal().dropped()).isEqualTo(15);
            assertThat(proxy.journal().clusterCounters().values().iterator().next().total()).isEqualTo(25);
        }
    }

    @Test
    void aClientThatGivesUpIsFlaggedDC() throws Exception {
        try (TestBackend b = TestBackend.scripted("b", n -> Reply.ok("late").delayed(3000));
             MeshProxy proxy = MeshProxy.builder().config(yaml(serviceEntry("svc", b), b)).start()) {
            try (Socket s = new Socket("127.0.0.1", proxy.port())) {
                OutputStream out = s.getOutputStream();
                out.write("GET /slow HTTP/1.1\r\nHost: svc:9080\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                await().atMost(Duration.ofSeconds(2)).until(() -> b.count() == 1);
            }
            await().atMost(Duration.ofSeconds(2)).until(() -> proxy.journal().exchanges().size() == 1);
            Exchange e = proxy.journal().exchanges().get(0);
            assertThat(e.flags()).containsExactly(ResponseFlag.DC);
            assertThat(e.downstreamGaveUp()).isTrue();
            assertThat(e.status()).isZero();
            assertThat(e.durationMs()).isLessThan(2500);
        }
    }

    @Test
    void resetForgetsAndListenersHearEveryExchange() {
        try (TestBackend b = TestBackend.named("b");
             MeshProxy proxy = MeshProxy.builder().config(yaml(serviceEntry("svc", b), b)).start()) {
            java.util.concurrent.atomic.AtomicInteger heard = new java.util.concurrent.atomic.AtomicInteger();
            Runnable unsubscribe = proxy.journal().onRecord(x -> heard.incrementAndGet());
            RawHttp.get(proxy.port(), "svc:9080", "/");
            RawHttp.get(proxy.port(), "svc:9080", "/");
            assertThat(heard.get()).isEqualTo(2);
            unsubscribe.run();
            proxy.journal().reset();
            assertThat(proxy.journal().exchanges()).isEmpty();
            assertThat(proxy.journal().recorded()).isZero();
        }
    }

    @Test
    void aRequestInFlightAcrossAResetIsNotRecordedInTheNewJournal() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        try (TestBackend b = TestBackend.scripted("b", n -> {
                 if (n == 1) {
                     try {
                         release.await(5, java.util.concurrent.TimeUnit.SECONDS);
                     } catch (InterruptedException e) {
                         Thread.currentThread().interrupt();
                     }
                 }
                 return Reply.ok("ok");
             });
             MeshProxy proxy = MeshProxy.builder().config(yaml(serviceEntry("svc", b), b)).start()) {
            java.util.concurrent.CompletableFuture<RawHttp.Response> slow = java.util.concurrent.CompletableFuture
                    .supplyAsync(() -> RawHttp.get(proxy.port(), "svc:9080", "/before"), Async.THREAD_PER_TASK);
            await().atMost(Duration.ofSeconds(5)).until(() -> b.count() == 1);
            proxy.journal().reset();          // the test that sent /before has ended
            release.countDown();
            assertThat(slow.get(5, java.util.concurrent.TimeUnit.SECONDS).status()).isEqualTo(200);
            RawHttp.get(proxy.port(), "svc:9080", "/after");
            assertThat(proxy.journal().exchanges()).extracting(Exchange::path).containsExactly("/after");
            assertThat(proxy.journal().endedAfterReset()).isEqualTo(1);
        }
    }
}
