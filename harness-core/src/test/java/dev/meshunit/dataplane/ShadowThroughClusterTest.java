package dev.meshunit.dataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshunit.MeshProxy;
import dev.meshunit.config.IstioConfig;
import dev.meshunit.config.load.ConfigLoader;
import dev.meshunit.journal.ResponseFlag;
import dev.meshunit.journal.ShadowExchange;
import dev.meshunit.testing.RawHttp;
import dev.meshunit.testing.RawUpstream;
import dev.meshunit.testing.TlsBackend;
import dev.meshunit.upstream.ClusterStats;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shadows are Envoy's shadow streams: they go through the mirror target's cluster, so they take its TLS
 * origination, count against its circuit breakers and report to its outlier detector.
 */
class ShadowThroughClusterTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    /** Service {@code svc} (plain) mirrored to {@code shadowed}, whose DestinationRule sets {@code trafficPolicy}. */
    private static IstioConfig config(int primaryPort, int shadowPort, String trafficPolicy) {
        String yaml = """
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: svc}
                spec:
                  hosts: [svc]
                  location: MESH_INTERNAL
                  resolution: STATIC
                  ports: [{number: 8080, name: http, protocol: HTTP}]
                  endpoints: [{address: 127.0.0.1, ports: {http: "${primary}"}}]
                ---
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: shadowed}
                spec:
                  hosts: [shadowed]
                  location: MESH_INTERNAL
                  resolution: STATIC
                  ports: [{number: 8080, name: http, protocol: HTTP}]
                  endpoints: [{address: 127.0.0.1, ports: {http: "${shadow}"}}]
                ---
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: shadowed}
                spec:
                  host: shadowed
                  trafficPolicy: %s
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: svc}
                spec:
                  hosts: [svc]
                  http:
                  - route: [{destination: {host: svc}}]
                    mirror: {host: shadowed}
                """.formatted(trafficPolicy);
        return ConfigLoader.create().withPlaceholders(Map.of("primary", "" + primaryPort, "shadow", "" + shadowPort)::get)
                .loadString("shadow-through-cluster.yaml", yaml).orThrow();
    }

    private static ClusterStats stats(MeshProxy proxy, String name) {
        return proxy.clusterStats().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void aMirrorToADestinationWithTlsSimpleArrivesOverTlsAndIsJournalled() throws Exception {
        Instant now = Instant.now();
        CertificateBuilder base = new CertificateBuilder().notBefore(now.minusSeconds(3600))
                .notAfter(now.plusSeconds(86400)).ecp256();
        X509Bundle ca = base.copy().subject("CN=test-ca").setIsCertificateAuthority(true).buildSelfSigned();
        X509Bundle server = base.copy().subject("CN=shadowed").addExtendedKeyUsageServerAuth().buildIssuedBy(ca);
        Path caPem = Files.writeString(dir.resolve("ca.pem"), ca.getCertificatePEM());
        try (RawUpstream primary = RawUpstream.answering(r -> RawUpstream.ok("primary"));
             TlsBackend shadow = new TlsBackend(SslContextBuilder.forServer(server.toKeyManagerFactory()).build());
             MeshProxy proxy = MeshProxy.builder().recordBodies(64)
                     .config(config(primary.port(), shadow.port(), "{tls: {mode: SIMPLE, caCertificates: " + caPem + "}}"))
                     .start()) {
            RawHttp.Response r = RawHttp.get(proxy.port(), "svc:8080", "/x");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("primary");
            await().atMost(WAIT).until(() -> proxy.journal().shadows().all().size() == 1);
            ShadowExchange s = proxy.journal().shadows().all().get(0);
            assertThat(s.status()).as("note %s, flags %s", s.note(), s.flags()).isEqualTo(200);
            assertThat(s.authority()).isEqualTo("svc-shadow:8080");
            assertThat(new String(s.response().body(), StandardCharsets.UTF_8)).as("the TLS backend's answer")
                    .isEqualTo("anonymous");
            assertThat(shadow.serverNames()).as("SNI of the shadow's handshake")
                    .containsExactly("shadowed.default.svc.cluster.local");
        }
    }

    @Test
    void shadowsCountAgainstTheTargetsCircuitBreakers() {
        try (RawUpstream primary = RawUpstream.answering(r -> RawUpstream.ok("primary"));
             RawUpstream silent = RawUpstream.start(c -> {
                 c.read();
                 c.awaitPeerClose();
             });
             MeshProxy proxy = MeshProxy.builder()
                     .config(config(primary.port(), silent.port(), "{connectionPool: {http: {http2MaxRequests: 1}}}"))
                     .start();
             RawHttp c = new RawHttp(proxy.port())) {
            assertThat(c.send("GET", "svc:8080", "/1", null).status()).isEqualTo(200);
            await().atMost(WAIT).until(() -> silent.requests().size() == 1);
            assertThat(c.send("GET", "svc:8080", "/2", null).status()).as("the primary is not affected").isEqualTo(200);
            await().atMost(WAIT).until(() -> proxy.journal().shadows().all().size() == 1);
            ShadowExchange overflowed = proxy.journal().shadows().all().get(0);
            assertThat(overflowed.path()).isEqualTo("/2");
            assertThat(overflowed.flags()).containsExactly(ResponseFlag.UO);
            ClusterStats shadowed = stats(proxy, "outbound|8080||shadowed.default.svc.cluster.local");
            assertThat(shadowed.breakers().activeRequests()).as("the first shadow, still waiting").isEqualTo(1);
            assertThat(shadowed.breakers().requestOverflows()).isEqualTo(1);
            assertThat(shadowed.breakers().connections()).isEqualTo(1);
        }
    }

    @Test
    void shadowsReportToTheTargetsOutlierDetector() {
        try (RawUpstream primary = RawUpstream.answering(r -> RawUpstream.ok("primary"));
             RawUpstream failing = RawUpstream.answering(r -> "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n");
             MeshProxy proxy = MeshProxy.builder()
                     .config(config(primary.port(), failing.port(),
                             "{outlierDetection: {consecutive5xxErrors: 2, maxEjectionPercent: 100}}"))
                     .start();
             RawHttp c = new RawHttp(proxy.port())) {
            for (int i = 0; i < 2; i++) assertThat(c.send("GET", "svc:8080", "/" + i, null).status()).isEqualTo(200);
            await().atMost(WAIT).until(() -> proxy.journal().shadows().all().size() == 2);
            assertThat(proxy.journal().shadows().all()).extracting(ShadowExchange::status).containsExactly(503, 503);
            List<ClusterStats.EndpointStats> endpoints = stats(proxy, "outbound|8080||shadowed.default.svc.cluster.local")
                    .endpoints();
            assertThat(endpoints).singleElement().satisfies(e -> {
                assertThat(e.ejected()).isTrue();
                assertThat(e.ejections()).isEqualTo(1);
            });
            assertThat(proxy.journal().events()).hasSize(1);
        }
    }
}
