package dev.meshunit.dataplane;

import static dev.meshunit.testing.Configs.serviceEntry;
import static dev.meshunit.testing.Configs.yaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshunit.MeshProxy;
import dev.meshunit.journal.Attempt;
import dev.meshunit.journal.Exchange;
import dev.meshunit.journal.JournalJson;
import dev.meshunit.journal.RecordedBody;
import dev.meshunit.testing.TestBackend;
import dev.meshunit.testing.TestBackend.Reply;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The journal keeps, per attempt, what the proxy sent upstream and (when asked) the bodies, over a real JDK client. */
class UpstreamJournalTest {
    private static final String VS = """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: ratings}
            spec:
              hosts: [ratings]
              http:
              - match: [{uri: {prefix: /old}}]
                rewrite: {uri: /new, authority: internal.ratings}
                headers: {request: {set: {x-added: mesh}}}
                route: [{destination: {host: ratings}}]
              - route: [{destination: {host: ratings}}]
                retries: {attempts: 2, retryOn: 5xx}
            """;

    private static HttpResponse<String> send(MeshProxy proxy, HttpRequest.Builder request) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", proxy.port()))).build();
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Exchange only(MeshProxy proxy) {
        List<Exchange> all = proxy.journal().exchanges();
        assertThat(all).hasSize(1);
        return all.get(0);
    }

    @Test
    void eachAttemptKeepsTheHeadersAsSentUpstream() throws Exception {
        try (TestBackend b = TestBackend.scripted("r", n -> n <= 2 ? Reply.status(503) : Reply.ok("fine"));
             MeshProxy proxy = MeshProxy.builder().config(yaml(serviceEntry("ratings", b) + VS, b)).start()) {
            HttpResponse<String> r = send(proxy, HttpRequest.newBuilder(URI.create("http://ratings:9080/rate")).header("x-client", "c"));
            assertThat(r.statusCode()).isEqualTo(200);
            Exchange e = only(proxy);
            assertThat(e.attempts()).extracting(a -> a.upstreamHeader("x-envoy-attempt-count")).containsExactly("1", "2", "3");
            assertThat(e.attempts()).extracting(Attempt::status).containsExactly(503, 503, 200);
            assertThat(e.attempts()).allSatisfy(a -> {
                assertThat(a.upstreamPath()).isEqualTo("/rate");
                assertThat(a.upstreamHeader("x-client")).isEqualTo("c");
                assertThat(a.requestBody()).isNull();
                assertThat(a.responseBody()).isNull();
            });
            // The same as the backend saw.
            assertThat(b.received()).extracting(x -> x.header("x-envoy-attempt-count")).containsExactly("1", "2", "3");
            String json = JournalJson.toJson(proxy.journal().exchanges());
            assertThat(json).contains("\"upstreamPath\":\"/rate\"", "\"x-envoy-attempt-count\":[\"3\"]")
                    .doesNotContain("requestBody");
        }
    }

    @Test
    void aRetryGoesToAnotherEndpointThanTheOnesTried() throws Exception {
        // Istio's retry policy carries Envoy's previous_hosts predicate: under RANDOM, without it a retry would
        // land on the failing endpoint again about half the time.
        String rule = """
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: ratings}
                spec:
                  host: ratings
                  trafficPolicy: {loadBalancer: {simple: RANDOM}}
                ---
                """;
        try (TestBackend bad = TestBackend.scripted("bad", n -> Reply.status(503));
             TestBackend good = TestBackend.named("good");
             MeshProxy proxy = MeshProxy.builder().config(yaml(serviceEntry("ratings", bad, good) + rule + VS, bad, good))
                     .seed(11).start()) {
            for (int i = 0; i < 20; i++) {
                assertThat(send(proxy, HttpRequest.newBuilder(URI.create("http://ratings:9080/rate"))).statusCode())
                        .as("request %d", i).isEqualTo(200);
            }
            List<Exchange> all = proxy.journal().exchanges();
            assertThat(all).hasSize(20).allSatisfy(e -> assertThat(e.attempts()).extracting(Attempt::endpoint)
                    .doesNotHaveDuplicates());
            assertThat(all).anySatisfy(e -> assertThat(e.attempts()).hasSize(2)); // the seed makes some start on "bad"
        }
    }

    @Test
    void aRewriteShowsTheRewrittenPathAndAuthority() throws Exception {
        try (TestBackend b = TestBackend.named("r");
             MeshProxy proxy = MeshProxy.builder().config(yaml(serviceEntry("ratings", b) + VS, b)).start()) {
            assertThat(send(proxy, HttpRequest.newBuilder(URI.create("http://ratings:9080/old/x?q=1"))).statusCode()).isEqualTo(200);
            Exchange e = only(proxy);
            assertThat(e.path()).isEqualTo("/old/x?q=1");
            Attempt a = e.attempts().get(0);
            assertThat(a.upstreamPath()).isEqualTo("/new/x?q=1").isEqualTo(b.received().get(0).path());
            assertThat(a.upstreamHeader("host")).isEqualTo("internal.ratings");
            assertThat(a.upstreamHeader("X-Added")).isEqualTo("mesh");
        }
    }

    @Test
    void bodiesAreRecordedUpToTheBoundAndMarkedTruncated() throws Exception {
        String answer = "{\"user\":{\"name\":\"ada\",\"tags\":[\"a\",\"b\"]},\"pad\":\"" + "x".repeat(100) + "\"}";
        try (TestBackend b = TestBackend.scripted("r", n -> n == 1 ? Reply.status(503) : Reply.ok(answer));
             MeshProxy proxy = MeshProxy.builder().config(yaml(serviceEntry("ratings", b) + VS, b)).recordBodies(64).start()) {
            String sent = "{\"id\":7,\"items\":[{\"sku\":\"k1\"}]}";
            HttpResponse<String> r = send(proxy, HttpRequest.newBuilder(URI.create("http://ratings:9080/rate"))
                    .POST(HttpRequest.BodyPublishers.ofString(sent)));
            assertThat(r.body()).isEqualTo(answer);
            Exchange e = only(proxy);
            assertThat(e.attempts()).hasSize(2);
            for (Attempt a : e.attempts()) {
                RecordedBody req = a.requestBody();
                assertThat(req.text()).isEqualTo(sent);
                assertThat(req.truncated()).isFalse();
                assertThat(req.json("$.items[0].sku")).isEqualTo("k1");
                assertThat(req.json("/id")).isEqualTo("7");
            }
            assertThat(e.attempts().get(0).responseBody()).isNull(); // retried on its head: no body was passed on
            RecordedBody resp = e.attempts().get(1).responseBody();
            assertThat(resp.recordedBytes()).isEqualTo(64);
            assertThat(resp.totalBytes()).isEqualTo(answer.length());
            assertThat(resp.truncated()).isTrue();
            assertThat(resp.text()).isEqualTo(answer.substring(0, 64));
            assertThatThrownBy(() -> resp.json("$.user.name")).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("truncated at 64 of " + answer.length());
            String json = JournalJson.toJson(proxy.journal().exchanges());
            assertThat(json).contains("\"responseBody\":{\"bodyBytes\":" + answer.length() + ",\"recordedBytes\":64,\"truncated\":true");
        }
    }

    @Test
    void aWholeJsonAnswerCanBeRead() throws Exception {
        String answer = "{\"user\":{\"name\":\"ada\",\"tags\":[\"a\",\"b\"]}}";
        try (TestBackend b = TestBackend.scripted("r", n -> Reply.ok(answer));
             MeshProxy proxy = MeshProxy.builder().config(yaml(serviceEntry("ratings", b) + VS, b)).recordBodies(1024).start()) {
            send(proxy, HttpRequest.newBuilder(URI.create("http://ratings:9080/rate")));
            RecordedBody resp = only(proxy).attempts().get(0).responseBody();
            assertThat(resp.truncated()).isFalse();
            assertThat(resp.json("$.user.name")).isEqualTo("ada");
            assertThat(resp.json("user.tags[1]")).isEqualTo("b");
            assertThat(resp.json("$.user.tags")).isEqualTo("[\"a\",\"b\"]");
            assertThat(resp.json("$.user.age")).isNull();
            assertThat(only(proxy).attempts().get(0).requestBody().totalBytes()).isZero();
            assertThatThrownBy(() -> resp.json("$.user..name")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("bad JSON path");
        }
    }

    @Test
    void upstreamHeadersAreCappedByTheJournalsHeaderLimits() throws Exception {
        try (TestBackend b = TestBackend.named("r");
             MeshProxy proxy = MeshProxy.builder().config(yaml(serviceEntry("ratings", b) + VS, b)).journalHeaderLimits(100, 2048).start()) {
            send(proxy, HttpRequest.newBuilder(URI.create("http://ratings:9080/rate")).header("x-big", "v".repeat(4000)));
            Exchange e = only(proxy);
            assertThat(b.received().get(0).header("x-big")).hasSize(4000);   // forwarded whole
            assertThat(e.truncation().names()).containsExactly("x-big");
            Attempt a = e.attempts().get(0);
            assertThat(a.upstreamHeader("x-big")).isNull();
            assertThat(a.upstreamHeader("x-envoy-attempt-count")).isEqualTo("1");
        }
    }
}
