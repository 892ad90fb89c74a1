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
import io.netty.handler.ssl.ClientAuth;
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
 * DestinationRule {@code tls: SIMPLE} (and {@code MUTUAL}) towards a server that offers h2 and http/1.1 by ALPN: an HTTP/2 cluster
 * offers h2 and speaks HTTP/2 inside TLS; an HTTP cluster offers nothing and gets HTTP/1.1.
 */
@ExtendWith(NoLeaks.class)
class Http2TlsOriginationTest {
    @TempDir
    static Path dir;
    static String caPem;
    static String clientPem;
    static String clientKeyPem;
    static SslContext serverContext;
    static SslContext mutualContext;

    @BeforeAll
    static void certificates() throws Exception {
        Instant now = Instant.now();
        CertificateBuilder base = new CertificateBuilder().notBefore(now.minusSeconds(3600))
                .notAfter(now.plusSeconds(86400)).ecp256();
        X509Bundle ca = base.copy().subject("CN=test-ca").setIsCertificateAuthority(true).buildSelfSigned();
        X509Bundle server = base.copy().subject("CN=web").addSanDnsName("web.example.com")
                .addExtendedKeyUsageServerAuth().buildIssuedBy(ca);
        X509Bundle client = base.copy().subject("CN=meshunit-client").addExtendedKeyUsageClientAuth().buildIssuedBy(ca);
        caPem = Files.writeString(dir.resolve("ca.pem"), ca.getCertificatePEM()).toString();
        clientPem = Files.writeString(dir.resolve("client.pem"), client.getCertificatePEM()).toString();
        clientKeyPem = Files.writeString(dir.resolve("client-key.pem"), client.getPrivateKeyPEM()).toString();
        ApplicationProtocolConfig alpn = new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1);
        serverContext = SslContextBuilder.forServer(server.toKeyManagerFactory()).applicationProtocolConfig(alpn).build();
        mutualContext = SslContextBuilder.forServer(server.toKeyManagerFactory()).applicationProtocolConfig(alpn)
                .trustManager(ca.toTrustManagerFactory()).clientAuth(ClientAuth.REQUIRE).build();
    }

    static IstioConfig config(int port, String protocol, String tlsFields) {
        return config(port, protocol, "SIMPLE", tlsFields);
    }

    static IstioConfig config(int port, String protocol, String mode, String tlsFields) {
        String policy = "{tls: {mode: " + mode + ", caCertificates: \"${ca}\"" + tlsFields + "}}";
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
    void mutualTlsOriginationCarriesHttp2Too() throws Exception {
        try (H2Backend backend = new H2Backend(mutualContext, 0);
             MeshProxy proxy = MeshProxy.builder().config(config(backend.port(), "GRPC", "MUTUAL",
                     ", clientCertificate: \"" + clientPem + "\", privateKey: \"" + clientKeyPem + "\"")).start()) {
            assertThat(RawHttp.get(proxy.port(), "web:8080", "/m").body()).isEqualTo("HTTP/2 /m");
        }
        try (H2Backend backend = new H2Backend(mutualContext, 0);
             MeshProxy proxy = MeshProxy.builder().config(config(backend.port(), "GRPC", "")).start()) {
            assertThat(RawHttp.get(proxy.port(), "web:8080", "/m").status()).as("no client certificate").isEqualTo(503);
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
