package dev.meshunit.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshunit.MeshProxy;
import dev.meshunit.config.IstioConfig;
import dev.meshunit.journal.Exchange;
import dev.meshunit.journal.ResponseFlag;
import dev.meshunit.testing.OneService;
import dev.meshunit.testing.RawHttp;
import dev.meshunit.testing.TlsBackend;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DestinationRule tls: SIMPLE and MUTUAL origination towards a Netty HTTPS backend, certificates made here. */
class TlsOriginationTest {
    @TempDir
    static Path dir;
    static X509Bundle ca;
    static X509Bundle otherCa;
    static X509Bundle server;
    static X509Bundle client;
    static String caPem;
    static String otherCaPem;

    @BeforeAll
    static void certificates() throws Exception {
        Instant now = Instant.now();
        CertificateBuilder base = new CertificateBuilder().notBefore(now.minusSeconds(3600))
                .notAfter(now.plusSeconds(86400)).ecp256();
        ca = base.copy().subject("CN=test-ca").setIsCertificateAuthority(true).buildSelfSigned();
        otherCa = base.copy().subject("CN=other-ca").setIsCertificateAuthority(true).buildSelfSigned();
        server = base.copy().subject("CN=svc").addSanDnsName("svc.example.com").addExtendedKeyUsageServerAuth()
                .buildIssuedBy(ca);
        client = base.copy().subject("CN=meshunit-client").addExtendedKeyUsageClientAuth().buildIssuedBy(ca);
        caPem = write("ca.pem", ca.getCertificatePEM());
        otherCaPem = write("other-ca.pem", otherCa.getCertificatePEM());
    }

    private static String write(String name, String content) throws Exception {
        return Files.writeString(dir.resolve(name), content).toString();
    }

    static TlsBackend backend(boolean requireClientCert) throws Exception {
        SslContextBuilder b = SslContextBuilder.forServer(server.toKeyManagerFactory());
        if (requireClientCert) b.trustManager(ca.toTrustManagerFactory()).clientAuth(ClientAuth.REQUIRE);
        SslContext ctx = b.build();
        return new TlsBackend(ctx);
    }

    static IstioConfig config(int port, String tls) {
        return OneService.config(port, "", """
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: svc}
                spec:
                  host: svc
                  trafficPolicy:
                    tls: %s
                """.formatted(tls));
    }

    static RawHttp.Response get(IstioConfig config) {
        try (MeshProxy proxy = MeshProxy.builder().config(config).start()) {
            return RawHttp.get(proxy.port(), OneService.AUTHORITY, "/");
        }
    }

    @Test
    void simpleTlsReachesTheBackendWithTheServiceHostAsSni() throws Exception {
        try (TlsBackend b = backend(false)) {
            RawHttp.Response r = get(config(b.port(), "{mode: SIMPLE, caCertificates: " + caPem + "}"));
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("anonymous");
            assertThat(b.serverNames()).containsExactly("svc.default.svc.cluster.local");
        }
    }

    @Test
    void sniAndSubjectAltNamesAreHonoured() throws Exception {
        try (TlsBackend b = backend(false)) {
            RawHttp.Response r = get(config(b.port(), "{mode: SIMPLE, caCertificates: " + caPem
                    + ", sni: svc.example.com, subjectAltNames: [svc.example.com]}"));
            assertThat(r.status()).isEqualTo(200);
            assertThat(b.serverNames()).containsExactly("svc.example.com");
            RawHttp.Response wrongSan = get(config(b.port(), "{mode: SIMPLE, caCertificates: " + caPem
                    + ", subjectAltNames: [spiffe://cluster.local/ns/default/sa/other]}"));
            assertThat(wrongSan.status()).isEqualTo(503);
            assertThat(wrongSan.body()).contains("SAN verification failed");
        }
    }

    @Test
    void mutualTlsPresentsTheClientCertificate() throws Exception {
        String cert = write("client.pem", client.getCertificatePEM());
        String key = write("client-key.pem", client.getPrivateKeyPEM());
        try (TlsBackend b = backend(true)) {
            RawHttp.Response r = get(config(b.port(), "{mode: MUTUAL, caCertificates: " + caPem
                    + ", clientCertificate: " + cert + ", privateKey: " + key + "}"));
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("CN=meshunit-client");
        }
    }

    @Test
    void aWrongCaFailsTheAttemptWith503UFAndNamesTheVerificationFailure() throws Exception {
        try (TlsBackend b = backend(false);
             MeshProxy proxy = MeshProxy.builder().config(config(b.port(), "{mode: SIMPLE, caCertificates: " + otherCaPem + "}"))
                     .start()) {
            RawHttp.Response r = RawHttp.get(proxy.port(), OneService.AUTHORITY, "/");
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.body()).startsWith("upstream connect error or disconnect/reset before headers. reset reason: "
                    + "connection failure, ").contains("CERTIFICATE_VERIFY_FAILED");
            Exchange e = proxy.journal().exchanges().get(0);
            assertThat(e.flags()).contains(ResponseFlag.UF);
            assertThat(e.attempts()).isNotEmpty().allSatisfy(a -> {
                assertThat(a.flags()).containsExactly(ResponseFlag.UF);
                assertThat(a.error()).contains("TLS error: CERTIFICATE_VERIFY_FAILED");
            });
        }
    }

    @Test
    void insecureSkipVerifyTrustsAnyServerAndIstioMutualIsPlainText() throws Exception {
        try (TlsBackend b = backend(false)) {
            assertThat(get(config(b.port(), "{mode: SIMPLE, insecureSkipVerify: true}")).status()).isEqualTo(200);
            // No Istio CA here: ISTIO_MUTUAL sends plain text, which a TLS-only backend refuses.
            assertThat(get(config(b.port(), "{mode: ISTIO_MUTUAL}")).status()).isEqualTo(503);
        }
    }

    @Test
    void aMissingCertificateFileFailsEveryAttemptWithTheReason() throws Exception {
        try (TlsBackend b = backend(false)) {
            RawHttp.Response r = get(config(b.port(), "{mode: SIMPLE, caCertificates: " + new File(dir.toFile(), "absent.pem") + "}"));
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.body()).contains("TLS context:");
        }
    }
}
