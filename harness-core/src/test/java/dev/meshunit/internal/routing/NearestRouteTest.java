package dev.meshunit.internal.routing;

import dev.meshunit.routing.RequestView;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshunit.config.IstioConfig;
import dev.meshunit.config.load.ConfigLoader;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NearestRouteTest {
    private record Req(String method, String path, Map<String, String> headers) implements RequestView {
        public String scheme() {
            return "http";
        }

        public List<String> queryParam(String name) {
            return List.of();
        }

        public String header(String name) {
            return headers.get(name);
        }

        public String authority() {
            return "reviews:9080";
        }

        public int port() {
            return 9080;
        }
    }

    private static final IstioConfig CONFIG = ConfigLoader.create().loadString("mesh.yaml", """
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: reviews}
            spec: {hosts: [reviews, ratings], resolution: STATIC, ports: [{number: 9080, name: http, protocol: HTTP}],
                   endpoints: [{address: 127.0.0.1}]}
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: reviews}
            spec:
              hosts: [reviews]
              http:
              - match: [{uri: {prefix: /admin/}, headers: {x-role: {exact: admin}}, method: {exact: POST}}]
                route: [{destination: {host: reviews}}]
              - match: [{uri: {prefix: /reviews/}, headers: {end-user: {exact: jason}}}, {uri: {exact: /health}}]
                route: [{destination: {host: reviews}}]
            """).orThrow();

    private static String explain(String host, Req request) {
        return NearestRoute.explain(CONFIG, RouteOptions.DEFAULTS, host, 9080, request);
    }

    @Test
    void theRuleWithFewestUnmetConditionsIsNamedWithWhatItMissed() {
        assertThat(explain("reviews", new Req("GET", "/reviews/1", Map.of("end-user", "ann"))))
                .isEqualTo("nearest route reviews/http[1].match[0]: header end-user {exact: jason} did not match \"ann\"");
        assertThat(explain("reviews.default.svc.cluster.local", new Req("GET", "/review/1", Map.of())))
                .isEqualTo("nearest route reviews/http[1].match[1]: uri {exact: /health} did not match \"/review/1\"");
        assertThat(explain("reviews", new Req("GET", "/admin/x", Map.of())))
                .isEqualTo("nearest route reviews/http[0]: method {exact: POST} did not match \"GET\"; "
                        + "header x-role {exact: admin} did not match (absent)");
    }

    @Test
    void aHostNoVirtualServiceRoutesNamesTheNearestDeclaredHosts() {
        assertThat(explain("reviwes", new Req("GET", "/", Map.of())))
                .isEqualTo("no VirtualService routes host reviwes; nearest declared: reviews");
        assertThat(explain("inventory", new Req("GET", "/", Map.of()))).isEqualTo("no VirtualService routes host inventory");
    }
}
