package dev.meshunit.bench;

import dev.meshunit.config.IstioConfig;
import dev.meshunit.config.load.ConfigLoader;
import dev.meshunit.internal.http.HeaderMap;
import dev.meshunit.internal.http.RequestHead;
import dev.meshunit.internal.netty.NettyHeaders;

/** The request and config the benchmarks share: a browser-like GET to a service whose fifth rule matches it. */
final class Fixtures {
    private Fixtures() {}

    static final String YAML = """
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: reviews}
            spec:
              hosts: [reviews]
              location: MESH_INTERNAL
              resolution: STATIC
              ports: [{number: 9080, name: http, protocol: HTTP}]
              endpoints:
              - {address: 127.0.0.1, ports: {http: 9081}, labels: {version: v1}}
              - {address: 127.0.0.1, ports: {http: 9082}, labels: {version: v2}}
            ---
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: reviews}
            spec:
              host: reviews
              subsets: [{name: v1, labels: {version: v1}}, {name: v2, labels: {version: v2}}]
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: reviews}
            spec:
              hosts: [reviews]
              http:
              - match: [{headers: {end-user: {exact: jason}}}]
                route: [{destination: {host: reviews, subset: v2}}]
              - match: [{uri: {prefix: /admin}}]
                route: [{destination: {host: reviews, subset: v2}}]
              - match: [{method: {exact: POST}, uri: {prefix: /reviews}}]
                route: [{destination: {host: reviews, subset: v2}}]
              - match: [{queryParams: {canary: {exact: "1"}}}]
                route: [{destination: {host: reviews, subset: v2}}]
              - name: main
                match: [{name: api, uri: {prefix: /reviews/}, headers: {x-tenant: {regex: "t[0-9]+"}}}]
                headers:
                  request: {set: {x-route: main}, add: {x-trace: "on"}, remove: [x-debug]}
                  response: {set: {x-served-by: reviews}}
                route:
                - {destination: {host: reviews, subset: v1}, weight: 90}
                - {destination: {host: reviews, subset: v2}, weight: 10}
              - route: [{destination: {host: reviews, subset: v1}}]
            """;

    static IstioConfig config() {
        return ConfigLoader.create().loadString("bench.yaml", YAML).orThrow();
    }

    /** The headers a browser-like client sends, as the HTTP/1 decoder hands them over (names AsciiString). */
    static HeaderMap requestHeaders() {
        return NettyHeaders.decoded("Host", "reviews:9080", "User-Agent", "Mozilla/5.0 (X11; Linux x86_64) bench/1",
                "Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
                "Accept-Encoding", "gzip, deflate, br", "Accept-Language", "en-GB,en;q=0.5",
                "Cookie", "session=0123456789abcdef; theme=dark", "X-Tenant", "t42", "X-Debug", "1",
                "Connection", "keep-alive", "traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    }

    /** An upstream's answer to it, as the HTTP/1 decoder hands it over. */
    static HeaderMap responseHeaders() {
        return NettyHeaders.decoded("Server", "nginx/1.22.1", "Date", "Tue, 01 Dec 2026 12:00:00 GMT",
                "Content-Type", "application/json", "Content-Length", "13", "Last-Modified", "Tue, 01 Dec 2026 11:00:00 GMT",
                "Connection", "keep-alive", "ETag", "\"6560a1b2-d\"", "Accept-Ranges", "bytes");
    }

    static RequestHead request(HeaderMap headers) {
        return RequestHead.parse("GET", "/reviews/1?page=2", "reviews:9080", headers, "127.0.0.1:50000", null);
    }
}
