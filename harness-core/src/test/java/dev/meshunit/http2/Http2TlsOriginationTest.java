package dev.meshunit.http2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshunit.MeshProxy;
import dev.meshunit.config.IstioConfig;
import dev.meshunit.config.load.ConfigLoader;
import dev.meshunit.journal.Exchange;
import dev.meshunit.testing.H2Backend;
import dev.meshunit.testing.NoLeaks;
import dev.meshunit.testing.RawHttp;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * DestinationRule {@code tls: SIMPLE} towards a server that offers h2 and http/1.1 by ALPN: an HTTP/2 cluster
 * offers h2 and speaks HTTP/2 inside TLS; an HTTP cluster offers nothing and gets HTTP/1.1.
 */
@ExtendWith(NoLeaks.class)
class Http2TlsOriginationTest {
    @TempDir
    static Path dir;
    static String caPem;
    static SslContext serverContext;

    @BeforeAll
    static void certificates() throws Exception {
        Instant now = Instant.now();
        CertificateBuilder base = new CertificateBuilder().notBefore(now.minusSeconds(3600))
                .notAfter(now.plusSeconds(86400)).ecp256();
        X509Bundle ca = base.copy().subject("CN=test-ca").setIsCertificateAuthority(true).buildSelfSigned();
        X509Bundle server = base.copy().subject("CN=web").addSanDnsName("web.example.com")
                .addExtendedKeyUsageServerAuth().buildIssuedBy(ca);
        caPem = Files.writeString(dir.resolve("ca.pem"), ca.getCertificatePEM()).toString();
        serverContext = SslContextBuilder.forServer(server.toKeyManagerFactory())
                .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                        ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1)).build();
    }

    static IstioConfig config(int port, String protocol, String tlsFields) {
        String policy = "{tls: {mode: SIMPLE, caCertificates: \"${ca}\"" + tlsFields + "}}";
        return ConfigLoader.create().withPlaceholders(Map.of("port", "" + port, "ca", caPem)::get)
                .loadString("tls.yaml", Http2UpstreamPolicyTest.web(protocol, policy)).orThrow();
    }

    @Test
    void anHttp2ClusterNegotiatesH2ByAlpn() throws Exception {
        try (H2Backend backend = new H2Backend(serverContext, 0);
             MeshProxy proxy = MeshProxy.builder().config(config(backend.port(), "HTTP2", "")).start()) {
            try (RawHttp client = new RawHttp(proxy.port())) { // one downstream connection: one event loop's pool
                for (int i = 0; i < 3; i++) {
                    RawHttp.Response r = client.send("GET", "web:8080", "/s" + i, null);
                    assertThat(r.status()).isEqualTo(200);
                    assertThat(r.body()).isEqualTo("HTTP/2 /s" + i);
                }
            }
            assertThat(backend.connections()).as("streams share one TLS connection").isEqualTo(1);
        }
    }

    @Test
    void anUpgradedHttpClusterNegotiatesH2Too() throws Exception {
        try (H2Backend backend = new H2Backend(serverContext, 0);
             MeshProxy proxy = MeshProxy.builder().config(config(backend.port(), "HTTP",
                     "}, connectionPool: {http: {h2UpgradePolicy: UPGRADE}")).start()) {
            assertThat(RawHttp.get(proxy.port(), "web:8080", "/u").body()).isEqualTo("HTTP/2 /u");
        }
    }

    @Test
    void anHttpClusterStaysOnHttp11() throws Exception {
        try (H2Backend backend = new H2Backend(serverContext, 0);
             MeshProxy proxy = MeshProxy.builder().config(config(backend.port(), "HTTP", "")).start()) {
            assertThat(RawHttp.get(proxy.port(), "web:8080", "/p").body()).isEqualTo("HTTP/1.1 /p");
        }
    }

    @Test
    void aSubjectAltNameMismatchFailsTheHttp2Connection() throws Exception {
        try (H2Backend backend = new H2Backend(serverContext, 0);
             MeshProxy proxy = MeshProxy.builder().config(config(backend.port(), "HTTP2",
                     ", subjectAltNames: [other.example.com]")).start()) {
            RawHttp.Response r = RawHttp.get(proxy.port(), "web:8080", "/x");
            assertThat(r.status()).isEqualTo(503);
            Exchange e = proxy.journal().exchanges().get(0);
            assertThat(e.attempts().get(0).error()).contains("SAN verification failed");
            assertThat(backend.protocols()).isEmpty();
        }
    }
}
