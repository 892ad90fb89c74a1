package dev.meshunit.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshunit.MeshProxy;
import dev.meshunit.config.IstioConfig;
import dev.meshunit.config.load.ConfigLoader;
import dev.meshunit.testing.RawHttp;
import dev.meshunit.testing.TestBackend;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void routesBySubset() {
        try (TestBackend v1 = TestBackend.named("v1"); TestBackend v2 = TestBackend.named("v2")) {
            IstioConfig config = ConfigLoader.create()
                    .withPlaceholders(Map.of("v1", "" + v1.port(), "v2", "" + v2.port())::get)
                    .loadString("smoke.yaml", """
                            apiVersion: networking.istio.io/v1
                            kind: ServiceEntry
                            metadata: {name: reviews}
                            spec:
                              hosts: [reviews]
                              location: MESH_INTERNAL
                              resolution: STATIC
                              ports: [{number: 9080, name: http, protocol: HTTP}]
                              endpoints:
                              - {address: 127.0.0.1, ports: {http: "${v1}"}, labels: {version: v1}}
                              - {address: 127.0.0.1, ports: {http: "${v2}"}, labels: {version: v2}}
                            ---
                            apiVersion: networking.istio.io/v1
                            kind: DestinationRule
                            metadata: {name: reviews}
                            spec:
                              host: reviews
                              subsets:
                              - {name: v1, labels: {version: v1}}
                              - {name: v2, labels: {version: v2}}
                            ---
                            apiVersion: networking.istio.io/v1
                            kind: VirtualService
                            metadata: {name: reviews}
                            spec:
                              hosts: [reviews]
                              http:
                              - match: [{headers: {end-user: {exact: jason}}}]
                                route: [{destination: {host: reviews, subset: v2}}]
                              - route: [{destination: {host: reviews, subset: v1}}]
                            """).orThrow();
            try (MeshProxy proxy = MeshProxy.builder().config(config).start()) {
                RawHttp.Response r = RawHttp.get(proxy.port(), "reviews:9080", "/reviews/1", "end-user: jason");
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.body()).isEqualTo("v2");
                assertThat(RawHttp.get(proxy.port(), "reviews:9080", "/reviews/1").body()).isEqualTo("v1");
                assertThat(RawHttp.get(proxy.port(), "nothere", "/").status()).isEqualTo(404);
                System.out.println(dev.meshunit.journal.JournalJson.toJson(proxy.journal().exchanges()));
            }
        }
    }
}
