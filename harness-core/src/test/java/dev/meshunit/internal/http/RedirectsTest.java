package dev.meshunit.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshunit.config.HttpRedirect;
import org.junit.jupiter.api.Test;

/** Envoy's Location for a route's redirect, built from the request and the route's fields. */
class RedirectsTest {
    private static RequestHead get(String target, String host) {
        return RequestHead.parse("GET", target, host, TestHeaders.of("host", host), "127.0.0.1:1", null);
    }

    private static HttpRedirect redirect(String uri, String authority, Integer port, String derivePort, String scheme,
                                         String prefixRewrite) {
        return new HttpRedirect(uri, prefixRewrite, authority, port, derivePort, scheme, 301);
    }

    @Test
    void theRequestsSchemeHostPortAndQueryAreKeptUnlessTheRouteSetsThem() {
        assertThat(Redirects.location(redirect("/new", null, null, null, null, null), get("/old?x=1", "svc:8080"), null))
                .isEqualTo("http://svc:8080/new?x=1");
        assertThat(Redirects.location(redirect(null, "other", null, null, "https", null), get("/p", "svc:8080"), null))
                .as("a new authority drops the request's port").isEqualTo("https://other/p");
        assertThat(Redirects.location(redirect(null, "other", 9443, null, null, null), get("/p", "svc:8080"), null))
                .isEqualTo("http://other:9443/p");
        assertThat(Redirects.location(redirect(null, "other", null, "FROM_REQUEST_PORT", null, null),
                get("/p", "svc:8080"), null)).isEqualTo("http://other:8080/p");
    }

    @Test
    void aPrefixRewriteReplacesTheMatchedPrefixAndAUriWithAQueryKeepsItsOwn() {
        assertThat(Redirects.location(redirect(null, null, null, null, null, "/v2/"), get("/v1/items?a=b", "svc"), "/v1/"))
                .isEqualTo("http://svc/v2/items?a=b");
        assertThat(Redirects.location(redirect("/search?q=x", null, null, null, null, null), get("/s?a=b", "svc"), null))
                .isEqualTo("http://svc/search?q=x");
    }

    @Test
    void theReplyIsALocalAnswerWithTheRoutesCodeAndLocation() {
        LocalReply r = Redirects.reply(new HttpRedirect("/n", null, null, null, null, null, 308), get("/o", "svc"), null);
        assertThat(r.status()).isEqualTo(308);
        assertThat(r.body()).isEmpty();
        TestHeaders h = new TestHeaders();
        r.headers().accept(h);
        assertThat(h.get("location")).isEqualTo("http://svc/n");
    }
}
