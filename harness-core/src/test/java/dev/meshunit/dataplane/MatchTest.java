package dev.meshunit.dataplane;

import static dev.meshunit.testing.Configs.serviceEntry;
import static dev.meshunit.testing.Configs.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshunit.MeshProxy;
import dev.meshunit.journal.Exchange;
import dev.meshunit.testing.RawHttp;
import dev.meshunit.testing.TestBackend;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every HTTPMatchRequest field; the route name tells which rule matched. */
class MatchTest {
    static TestBackend backend;
    static MeshProxy proxy;

    @BeforeAll
    static void start() {
        backend = TestBackend.named("b");
        String vs = """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: svc}
                spec:
                  hosts: [svc]
                  http:
                  - {name: exact, match: [{uri: {exact: /exact}}], route: [{destination: {host: svc}}]}
                  - {name: nocase, match: [{uri: {prefix: /NoCase}, ignoreUriCase: true}], route: [{destination: {host: svc}}]}
                  - {name: regex, match: [{uri: {regex: "/items/[0-9]+"}}], route: [{destination: {host: svc}}]}
                  - {name: method, match: [{method: {exact: DELETE}}], route: [{destination: {host: svc}}]}
                  - {name: scheme, match: [{scheme: {exact: https}}], route: [{destination: {host: svc}}]}
                  - {name: authority, match: [{authority: {prefix: "svc.default"}}], route: [{destination: {host: svc}}]}
                  - {name: hdr-prefix, match: [{headers: {x-tier: {prefix: gold}}}], route: [{destination: {host: svc}}]}
                  - {name: hdr-regex, match: [{headers: {x-id: {regex: "[a-f]{4}"}}}], route: [{destination: {host: svc}}]}
                  - {name: hdr-present, match: [{headers: {x-flag: {}}}], route: [{destination: {host: svc}}]}
                  - {name: query, match: [{queryParams: {debug: {exact: "1"}}}], route: [{destination: {host: svc}}]}
                  - {name: without, match: [{uri: {prefix: /w}, withoutHeaders: {x-skip: {exact: "yes"}}}], route: [{destination: {host: svc}}]}
                  - {name: port, match: [{port: 9999}], route: [{destination: {host: svc}}]}
                  - {name: source, match: [{sourceLabels: {app: productpage}}], route: [{destination: {host: svc}}]}
                  - name: multi
                    match:
                    - {name: first, uri: {prefix: /a}, headers: {x-and: {exact: "1"}}}
                    - {name: second, uri: {prefix: /b}}
                    route: [{destination: {host: svc}}]
                """;
        proxy = MeshProxy.builder().config(yaml(serviceEntry("svc", backend) + vs, backend))
                .source("default", Map.of("app", "productpage")).start();
    }

    @AfterAll
    static void stop() {
        proxy.close();
        backend.close();
    }

    private static String route(String method, String path, String... headers) {
        try (RawHttp c = new RawHttp(proxy.port())) {
            c.send(method, "svc:9080", path, null, headers);
        }
        List<Exchange> all = proxy.journal().exchanges();
        Exchange e = all.get(all.size() - 1);
        return e.route() == null ? null : e.route().name();
    }

    @Test
    void uriMatches() {
        assertThat(route("GET", "/exact")).isEqualTo("exact");
        assertThat(route("GET", "/exact/more")).isEqualTo("source");
        assertThat(route("GET", "/nocase/x")).isEqualTo("nocase");
        assertThat(route("GET", "/items/42")).isEqualTo("regex");
        assertThat(route("GET", "/items/42x")).as("regex must match the whole path").isEqualTo("source");
        assertThat(route("GET", "/exact?query=ignored")).as("the query is not part of the uri").isEqualTo("exact");
    }

    @Test
    void methodSchemeAuthority() {
        assertThat(route("DELETE", "/z")).isEqualTo("method");
        assertThat(route("GET", "/z")).isEqualTo("source");
    }

    @Test
    void headersQueryAndWithoutHeaders() {
        assertThat(route("GET", "/z", "x-tier: golden")).isEqualTo("hdr-prefix");
        assertThat(route("GET", "/z", "x-id: abcd")).isEqualTo("hdr-regex");
        assertThat(route("GET", "/z", "x-id: abcde")).isEqualTo("source");
        assertThat(route("GET", "/z", "x-flag: ")).isEqualTo("hdr-present");
        assertThat(route("GET", "/z?debug=1")).isEqualTo("query");
        assertThat(route("GET", "/z?debug=2")).isEqualTo("source");
        assertThat(route("GET", "/w")).isEqualTo("without");
        assertThat(route("GET", "/w", "x-skip: yes")).isEqualTo("source");
    }

    @Test
    void sourceLabelsMatchTheProxysIdentityAndNamedMatchesNameTheRoute() {
        assertThat(route("GET", "/anything")).isEqualTo("source");
    }

    @Test
    void portSelectsByServicePort() {
        // The service listens on 9080 only, so the port rule never matches.
        assertThat(route("GET", "/p")).isEqualTo("source");
    }

    @Test
    void namedMatchesGiveEnvoysRouteName() {
        MeshProxy other = MeshProxy.builder().config(proxy.config()).start();
        try (other; RawHttp c = new RawHttp(other.port())) {
            c.send("GET", "svc:9080", "/a", null, "x-and: 1");
            c.send("GET", "svc:9080", "/b", null);
            c.send("GET", "svc:9080", "/a", null);
            List<Exchange> seen = other.journal().exchanges();
            assertThat(seen.get(0).route().name()).isEqualTo("multi.first");
            assertThat(seen.get(1).route().name()).isEqualTo("multi.second");
            assertThat(seen.get(2).route()).as("/a without x-and matches nothing").isNull();
            assertThat(other.journal().exchanges().get(2).status()).isEqualTo(404);
        }
    }
}
