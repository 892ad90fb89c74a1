package dev.meshunit.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshunit.MeshProxy;
import dev.meshunit.config.load.ConfigLoader;
import org.junit.jupiter.api.Test;

class DeclaredHostsTest {
    private static final DeclaredHosts HOSTS = DeclaredHosts.of(ConfigLoader.create().loadString("mesh.yaml", """
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: bookinfo}
            spec:
              hosts: [ratings, reviews, details.prod.svc.cluster.local, "*.example.com"]
              location: MESH_INTERNAL
              resolution: STATIC
              ports: [{number: 9080, name: http, protocol: HTTP}]
              endpoints: [{address: 127.0.0.1}]
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: productpage}
            spec:
              hosts: [productpage]
              http: [{route: [{destination: {host: reviews}}]}]
            """).orThrow());

    @Test
    void namesAsFaultsAndJournalQueriesWriteThem() {
        assertThat(HOSTS.declares("ratings")).isTrue();
        assertThat(HOSTS.declares("ratings.default")).isTrue();
        assertThat(HOSTS.declares("ratings.default.svc.cluster.local")).isTrue();
        assertThat(HOSTS.declares("RATINGS:9080")).isTrue();
        assertThat(HOSTS.declares("productpage")).isTrue();
        assertThat(HOSTS.declares("details")).isTrue();
        assertThat(HOSTS.declares("api.example.com")).isTrue();
        assertThat(HOSTS.declares("rating")).isFalse();
        assertThat(HOSTS.declares("ratings.prod")).isFalse();
    }

    @Test
    void theNearestNamesComeFirstAndFarOnesNotAtAll() {
        assertThat(HOSTS.nearest("ratngs", 3)).containsExactly("ratings");
        assertThat(HOSTS.nearest("review", 3)).containsExactly("reviews");
        assertThat(HOSTS.nearest("detail", 3)).containsExactly("details.prod.svc.cluster.local");
        assertThat(HOSTS.nearest("inventory", 3)).isEmpty();
        assertThat(DeclaredHosts.distance("rating", "ratings")).isEqualTo(1);
        assertThat(DeclaredHosts.distance("", "abc")).isEqualTo(3);
    }

    @Test
    void aProxyRefusesAFaultOnAnUndeclaredHost() {
        try (MeshProxy proxy = MeshProxy.builder().config(ConfigLoader.create().loadString("mesh.yaml", """
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: ratings}
                spec: {hosts: [ratings], resolution: STATIC, ports: [{number: 80, name: http, protocol: HTTP}],
                       endpoints: [{address: 127.0.0.1}]}
                """).orThrow()).start()) {
            assertThatThrownBy(() -> proxy.faults().abort("ratngs", 503))
                    .hasMessage("fault: no host \"ratngs\" in the config; did you mean ratings? (declared: ratings)");
            assertThat(proxy.faults().isEmpty()).isTrue();
            proxy.faults().abort("ratings", 503).requests(1);
            assertThat(proxy.faults().list()).hasSize(1);
        }
    }

    @Test
    void requireNamesTheNearestAndEveryDeclaredHost() {
        assertThatThrownBy(() -> HOSTS.require("ratngs", "mesh.faults().abort(\"ratngs\", 503)"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("mesh.faults().abort(\"ratngs\", 503): no host \"ratngs\" in the config; did you mean ratings?"
                        + " (declared: *.example.com, details.prod.svc.cluster.local, productpage, ratings, reviews)");
        assertThatThrownBy(() -> DeclaredHosts.of(IstioConfig.EMPTY).require("x", "fault"))
                .hasMessage("fault: no host \"x\" in the config (the config declares no host)");
    }
}
