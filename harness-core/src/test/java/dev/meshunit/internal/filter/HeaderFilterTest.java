package dev.meshunit.internal.filter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshunit.internal.http.FakeStream;
import dev.meshunit.internal.http.HeaderMap;
import dev.meshunit.internal.http.ResponseHead;
import dev.meshunit.internal.http.StreamFilter.Status;
import dev.meshunit.internal.http.TestHeaders;
import dev.meshunit.internal.netty.NettyHeaders;
import dev.meshunit.journal.ResponseFlag;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import dev.meshunit.testing.OneService;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Header finalisation both ways, on fake stream callbacks: what the upstream and the client get. */
class HeaderFilterTest {
    private static final String MUTATIONS = """
            rewrite: {uri: /v2/, authority: ratings.internal}
            headers: {request: {set: {x-route: r}, add: {x-both: route}, remove: [x-secret]}, response: {set: {x-resp: r}, remove: [x-internal]}}
            """;

    private static FakeStream stream(String routeFields, String... headers) {
        return new FakeStream(OneService.config(1, routeFields), "GET", "/api/list?q=1", headers);
    }

    @Test
    void theUpstreamGetsRewritesMutationsAndEnvoysHeadersWithoutHopByHopOnes() {
        FakeStream s = stream(MUTATIONS.replace("rewrite: {uri: /v2/, ", "match: [{uri: {prefix: /api/}}]\nrewrite: {uri: /v2/, "),
                "host", "svc:8080", "connection", "keep-alive", "te", "trailers", "expect", "100-continue",
                "x-secret", "s", "x-envoy-max-retries", "3", "x-request-id", "given");
        HeaderFilter f = new HeaderFilter(s, new Random(1));
        assertThat(f.decodeHeaders(s.request())).isEqualTo(Status.CONTINUE);
        HeaderMap h = s.info().upstreamHeaders();
        assertThat(s.info().upstreamUri()).isEqualTo("/v2/list?q=1");
        assertThat(h.get("host")).isEqualTo("ratings.internal");
        assertThat(h.get("x-envoy-original-path")).isEqualTo("/api/list?q=1");
        assertThat(h.get("x-forwarded-proto")).isEqualTo("http");
        assertThat(h.get("x-request-id")).isEqualTo("given");
        assertThat(h.get("x-route")).isEqualTo("r");
        assertThat(h.getAll("x-both")).containsExactly("route");
        for (String gone : new String[] {"connection", "te", "expect", "x-secret", "x-envoy-max-retries"}) {
            assertThat(h.contains(gone)).as(gone).isFalse();
        }
        assertThat(s.request().headers().get("x-secret")).as("the client's own headers are left alone").isEqualTo("s");
    }

    @Test
    void aRequestIdIsMadeFromTheSeededRandomSourceWhenTheClientSentNone() {
        FakeStream a = stream("", "host", "svc:8080");
        FakeStream b = stream("", "host", "svc:8080");
        new HeaderFilter(a, new Random(9)).decodeHeaders(a.request());
        new HeaderFilter(b, new Random(9)).decodeHeaders(b.request());
        String id = a.info().upstreamHeaders().get("x-request-id");
        assertThat(id).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        assertThat(b.info().upstreamHeaders().get("x-request-id")).isEqualTo(id);
        assertThat(a.info().upstreamUri()).as("no rewrite: the client's target, made once")
                .isEqualTo("/api/list?q=1").isSameAs(a.request().pathAndQuery());
        assertThat(id).as("the seed's id, as journals of seeded runs have it").isEqualTo("baebde0b-40b2-49d8-8435-2618d0f2402f");
    }

    @Test
    void theUpstreamsAnswerGetsServerServiceTimeMutationsAndTheHashCookie() {
        FakeStream s = stream(MUTATIONS, "host", "svc:8080");
        HeaderFilter f = new HeaderFilter(s, new Random(1));
        s.info().upstreamServiceTimeMs(12);
        s.info().setCookie("user=\"ab\"; HttpOnly");
        HeaderMap h = TestHeaders.of("server", "nginx", "connection", "close", "keep-alive", "timeout=5",
                "x-internal", "i", "content-length", "2");
        f.encodeHeaders(new ResponseHead(200, h), false);
        assertThat(h.get("server")).isEqualTo("envoy");
        assertThat(h.get("x-envoy-upstream-service-time")).isEqualTo("12");
        assertThat(h.get("x-resp")).isEqualTo("r");
        assertThat(h.contains("x-internal")).isFalse();
        assertThat(h.contains("connection")).isFalse();
        assertThat(h.contains("keep-alive")).isFalse();
        assertThat(h.get("set-cookie")).isEqualTo("user=\"ab\"; HttpOnly");
        assertThat(h.get("content-length")).isEqualTo("2");
    }

    @Test
    void aLocalReplyGetsTheRoutesResponseHeadersOnlyWhenAFaultAbortedTheRequest() {
        FakeStream s = stream(MUTATIONS, "host", "svc:8080");
        HeaderFilter f = new HeaderFilter(s, new Random(1));
        HeaderMap timeout = TestHeaders.of("server", "envoy");
        f.encodeHeaders(new ResponseHead(504, timeout), true);
        assertThat(timeout.contains("x-resp")).isFalse();
        s.info().flags().add(ResponseFlag.FI);
        HeaderMap aborted = TestHeaders.of("server", "envoy");
        f.encodeHeaders(new ResponseHead(503, aborted), true);
        assertThat(aborted.get("x-resp")).isEqualTo("r");
        assertThat(aborted.contains("x-envoy-upstream-service-time")).isFalse();
    }

    @Test
    void hopByHopHeadersInAnyCaseAndRepeatedLeaveTheAnswerOthersKeepTheirOrder() {
        FakeStream s = stream("", "host", "svc:8080");
        HeaderFilter f = new HeaderFilter(s, new Random(1));
        s.info().upstreamServiceTimeMs(1234);
        HeaderMap h = NettyHeaders.decoded("Server", "nginx", "Connection", "close", "content-type", "text/plain",
                "CONNECTION", "keep-alive", "Keep-Alive", "timeout=5", "TE", "trailers", "Upgrade", "h2c",
                "Proxy-Connection", "close", "Proxy-Authorization", "Basic eA==", "X-Kept", "1", "x-kept", "2",
                "Content-Length", "2");
        f.encodeHeaders(new ResponseHead(200, h), false);
        assertThat(lines(h)).containsExactly("content-type: text/plain", "X-Kept: 1", "x-kept: 2", "Content-Length: 2",
                "x-envoy-upstream-service-time: 1234", "server: envoy");
    }

    @Test
    void aSwitchingAnswerKeepsItsUpgradePairAndTheClientsRouterOverridesNeverGoUpstream() {
        FakeStream s = stream("", "host", "svc:8080");
        HeaderFilter f = new HeaderFilter(s, new Random(1));
        HeaderMap h = NettyHeaders.decoded("Upgrade", "websocket", "Connection", "Upgrade", "Sec-WebSocket-Accept", "a");
        f.encodeHeaders(new ResponseHead(101, h), false);
        assertThat(h.get("upgrade")).isEqualTo("websocket");
        assertThat(h.getAll("connection")).containsExactly("upgrade");

        FakeStream r = stream("", "host", "svc:8080", "X-Envoy-Upstream-Rq-Timeout-Ms", "5",
                "x-envoy-upstream-rq-per-try-timeout-ms", "1", "Expect", "100-continue", "TE", "trailers", "te", "x",
                "X-Forwarded-Proto", "https", "accept", "*/*");
        new HeaderFilter(r, new Random(1)).decodeHeaders(r.request());
        HeaderMap up = r.info().upstreamHeaders();
        assertThat(lines(up)).startsWith("X-Forwarded-Proto: https", "accept: */*", "host: svc:8080");
        assertThat(up.get("x-forwarded-proto")).isEqualTo("https");
        assertThat(r.request().header("x-envoy-upstream-rq-timeout-ms")).as("the router still reads the client's").isEqualTo("5");
    }

    @Test
    void nettysHeadersLoseHopByHopAndControlHeadersInAnyCaseAndRepeatedOthersKeepTheirOrder() {
        HeaderMap client = NettyHeaders.decoded("Host", "svc:8080", "Connection", "keep-alive, x-foo", "CONNECTION", "close",
                "Keep-Alive", "5", "X-Foo", "kept", "TE", "trailers", "Proxy-Connection", "x", "Upgrade", "h2c",
                "Expect", "100-continue", "X-Envoy-Max-Retries", "3", "x-envoy-MAX-retries", "4", "accept", "*/*");
        FakeStream s = new FakeStream(OneService.config(1, ""), "GET", "/api/list?q=1", client);
        new HeaderFilter(s, new Random(9)).decodeHeaders(s.request());
        // A name that Connection nominates (x-foo) is passed on, as before: only the fixed hop-by-hop set is dropped.
        assertThat(lines(s.info().upstreamHeaders())).containsExactly("X-Foo: kept", "accept: */*", "host: svc:8080",
                "x-forwarded-proto: http", "x-request-id: baebde0b-40b2-49d8-8435-2618d0f2402f");
        assertThat(client.getAll("connection")).as("the client's own headers are left alone").hasSize(2);
    }

    @Test
    void upstreamServiceTimeIsWrittenInDecimalAtAnySize() {
        for (long ms : new long[] {0, 9, 1023, 1024, 86_400_000L}) {
            FakeStream s = stream("", "host", "svc:8080");
            s.info().upstreamServiceTimeMs(ms);
            HeaderMap h = NettyHeaders.decoded("content-length", "0");
            new HeaderFilter(s, new Random(1)).encodeHeaders(new ResponseHead(200, h), false);
            assertThat(h.get("x-envoy-upstream-service-time")).isEqualTo(Long.toString(ms));
        }
    }

    private static List<String> lines(HeaderMap h) {
        List<String> lines = new ArrayList<>();
        for (Map.Entry<String, String> e : h) lines.add(e.getKey() + ": " + e.getValue());
        return lines;
    }
}
