package dev.meshunit.dataplane;

import static dev.meshunit.testing.Configs.serviceEntry;
import static dev.meshunit.testing.Configs.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshunit.MeshProxy;
import dev.meshunit.testing.RawHttp;
import dev.meshunit.testing.TestBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** rewrite, redirect, directResponse, header manipulation and destination ports. */
class RewriteRedirectTest {
    static TestBackend b;
    static TestBackend other;
    static MeshProxy proxy;

    @BeforeAll
    static void start() {
        b = TestBackend.named("b");
        other = TestBackend.named("other");
        String se2 = """
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: multi}
                spec:
                  hosts: [multi]
                  resolution: STATIC
                  ports: [{number: 8000, name: http-a, protocol: HTTP}, {number: 8001, name: http-b, protocol: HTTP}]
                  endpoints: [{address: 127.0.0.1, ports: {http-a: "${b}", http-b: "${other}"}}]
                ---
                """;
        String vs = """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: svc}
                spec:
                  hosts: [svc]
                  http:
                  - match: [{uri: {prefix: /old}}]
                    rewrite: {uri: /new, authority: internal.svc}
                    route: [{destination: {host: svc}}]
                  - match: [{uri: {prefix: /re/}}]
                    rewrite: {uriRegexRewrite: {match: "^/re/([a-z]+)/([0-9]+)$", rewrite: "/\\\\2/\\\\1"}}
                    route: [{destination: {host: svc}}]
                  - match: [{uri: {exact: /moved}}]
                    redirect: {uri: /here, authority: elsewhere, redirectCode: 308}
                  - match: [{uri: {prefix: /legacy}}]
                    redirect: {prefixRewrite: /modern}
                  - match: [{uri: {exact: /teapot}}]
                    directResponse: {status: 418, body: {string: "short and stout"}}
                  - match: [{uri: {prefix: /port}}]
                    route: [{destination: {host: multi, port: {number: 8001}}}]
                  - headers:
                      request: {set: {x-set: route}, add: {x-add: route}, remove: [x-secret]}
                      response: {set: {x-resp: route}, remove: [x-backend]}
                    route:
                    - destination: {host: svc}
                      headers:
                        request: {set: {x-dest: "yes"}}
                        response: {add: {x-dest-resp: "yes"}}
                """;
        proxy = MeshProxy.builder().config(yaml(serviceEntry("svc", b) + se2 + vs, b, other)).start();
    }

    @AfterAll
    static void stop() {
        proxy.close();
        b.close();
        other.close();
    }

    private static TestBackend.Received lastSeen() {
        return b.received().get(b.received().size() - 1);
    }

    @Test
    void prefixRewriteReplacesOnlyTheMatchedPrefixAndKeepsTheOriginalPath() {
        assertThat(RawHttp.get(proxy.port(), "svc:9080", "/old/item?x=1").status()).isEqualTo(200);
        assertThat(lastSeen().path()).isEqualTo("/new/item?x=1");
        assertThat(lastSeen().header("host")).isEqualTo("internal.svc");
        assertThat(lastSeen().header("x-envoy-original-path")).isEqualTo("/old/item?x=1");
    }

    @Test
    void regexRewriteUsesCaptureGroups() {
        RawHttp.get(proxy.port(), "svc:9080", "/re/books/42");
        assertThat(lastSeen().path()).isEqualTo("/42/books");
    }

    @Test
    void redirectsAnswerWithLocation() {
        RawHttp.Response r = RawHttp.get(proxy.port(), "svc:9080", "/moved?a=b");
        assertThat(r.status()).isEqualTo(308);
        assertThat(r.header("location")).isEqualTo("http://elsewhere/here?a=b");
        RawHttp.Response p = RawHttp.get(proxy.port(), "svc:9080", "/legacy/page");
        assertThat(p.status()).isEqualTo(301);
        assertThat(p.header("location")).isEqualTo("http://svc:9080/modern/page");
    }

    @Test
    void directResponse() {
        RawHttp.Response r = RawHttp.get(proxy.port(), "svc:9080", "/teapot");
        assertThat(r.status()).isEqualTo(418);
        assertThat(r.body()).isEqualTo("short and stout");
        assertThat(proxy.journal().exchanges()).last().satisfies(e -> assertThat(e.attempts()).isEmpty());
    }

    @Test
    void destinationPortPicksTheServicePort() {
        assertThat(RawHttp.get(proxy.port(), "svc:9080", "/port").body()).isEqualTo("other");
        assertThat(proxy.journal().exchanges()).last().satisfies(e -> assertThat(e.destination().port()).isEqualTo(8001));
    }

    @Test
    void headerOperationsAtRouteAndDestinationLevel() {
        RawHttp.Response r = RawHttp.get(proxy.port(), "svc:9080", "/h", "x-secret: s", "x-add: client");
        TestBackend.Received seen = lastSeen();
        assertThat(seen.header("x-secret")).isNull();
        assertThat(seen.header("x-set")).isEqualTo("route");
        assertThat(seen.headers().get("x-add")).containsExactly("client", "route");
        assertThat(seen.header("x-dest")).isEqualTo("yes");
        assertThat(r.header("x-resp")).isEqualTo("route");
        assertThat(r.header("x-backend")).isNull();
        assertThat(r.header("x-dest-resp")).isEqualTo("yes");
        assertThat(r.header("x-envoy-upstream-service-time")).isNotNull();
    }
}
