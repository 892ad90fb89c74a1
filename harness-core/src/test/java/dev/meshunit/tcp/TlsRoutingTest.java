package dev.meshunit.tcp;

import static dev.meshunit.tcp.TcpConfigs.awaitConnections;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshunit.MeshProxy;
import dev.meshunit.config.IstioConfig;
import dev.meshunit.journal.Connection;
import dev.meshunit.journal.Connection.EndReason;
import dev.meshunit.journal.ResponseFlag;
import dev.meshunit.testing.NoLeaks;
import dev.meshunit.testing.TcpClient;
import dev.meshunit.testing.TlsBackend;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * VirtualService {@code tls:} rules: routed by the SNI of the ClientHello, which the proxy reads without
 * terminating TLS (the backend's own certificate completes the handshake), and clients that send a broken,
 * fragmented, oversized or no ClientHello at all.
 */
@ExtendWith(NoLeaks.class)
class TlsRoutingTest {
    static X509Bundle ca;
    static TlsBackend v1;
    static TlsBackend v2;
    static SSLContext client;

    @BeforeAll
    static void start() throws Exception {
        Instant now = Instant.now();
        CertificateBuilder base = new CertificateBuilder().notBefore(now.minusSeconds(3600)).notAfter(now.plusSeconds(86400)).ecp256();
        ca = base.copy().subject("CN=test-ca").setIsCertificateAuthority(true).buildSelfSigned();
        X509Bundle server = base.copy().subject("CN=api").addSanDnsName("api.example.com").addExtendedKeyUsageServerAuth().buildIssuedBy(ca);
        v1 = new TlsBackend(SslContextBuilder.forServer(server.toKeyManagerFactory()).build());
        v2 = new TlsBackend(SslContextBuilder.forServer(server.toKeyManagerFactory()).build());
        client = SSLContext.getInstance("TLS");
        client.init(null, ca.toTrustManagerFactory().getTrustManagers(), null);
    }

    @AfterAll
    static void stop() {
        v1.close();
        v2.close();
    }

    static IstioConfig config(String rules) {
        return config(rules, "");
    }

    /** @param more further YAML documents, after the ones for api.example.com */
    static IstioConfig config(String rules, String more) {
        String service = """
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: api}
                spec:
                  hosts: [api.example.com]
                  location: MESH_EXTERNAL
                  resolution: STATIC
                  ports: [{number: 443, name: tls, protocol: TLS}]
                  endpoints:
                  - {address: 127.0.0.1, ports: {tls: ${v1}}, labels: {version: v1}}
                  - {address: 127.0.0.1, ports: {tls: ${v2}}, labels: {version: v2}}
                ---
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: api}
                spec:
                  host: api.example.com
                  subsets: [{name: v1, labels: {version: v1}}, {name: v2, labels: {version: v2}}]
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: api}
                spec:
                  hosts: [api.example.com]
                """;
        return TcpConfigs.load(service + rules.stripIndent().indent(2) + more, Map.of("v1", v1.port(), "v2", v2.port()));
    }

    static final String BY_SNI = """
            tls:
            - match: [{sniHosts: [api.example.com], sourceLabels: {app: canary}}]
              route: [{destination: {host: api.example.com, subset: v2}}]
            - match: [{port: 443, sniHosts: [api.example.com]}]
              route: [{destination: {host: api.example.com, subset: v1}}]
            """;

    /** An HTTPS GET over a real TLS handshake with {@code sni}; the body the backend answered. */
    static String httpsGet(InetSocketAddress listener, String sni) throws Exception {
        try (Socket plain = TcpClient.connect(listener);
             SSLSocket tls = (SSLSocket) client.getSocketFactory().createSocket(plain, sni, listener.getPort(), true)) {
            tls.getOutputStream().write(("GET / HTTP/1.1\r\nHost: " + sni + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            // The backend keeps the connection alive: read up to the end of its short body.
            StringBuilder answer = new StringBuilder();
            byte[] buf = new byte[4096];
            for (int n; !answer.toString().endsWith("anonymous") && (n = tls.getInputStream().read(buf)) > 0; ) {
                answer.append(new String(buf, 0, n, StandardCharsets.US_ASCII));
            }
            return answer.toString();
        }
    }

    @Test
    void routesBySniWithoutTerminatingTls() throws Exception {
        int before1 = v1.serverNames().size();
        int before2 = v2.serverNames().size();
        try (MeshProxy proxy = MeshProxy.builder().config(config(BY_SNI)).start()) {
            assertThat(httpsGet(proxy.serviceAddress("api.example.com:443"), "api.example.com")).endsWith("anonymous");
            assertThat(v1.serverNames()).hasSize(before1 + 1).last().isEqualTo("api.example.com");
            assertThat(v2.serverNames()).hasSize(before2);
            Connection c = awaitConnections(proxy, 1).get(0);
            assertThat(c.sni()).isEqualTo("api.example.com");
            assertThat(c.route().name()).isEqualTo("tls[1]");
            assertThat(c.subset()).isEqualTo("v1");
            assertThat(c.bytesFromClient()).isGreaterThan(200);
            assertThat(c.bytesToClient()).isGreaterThan(200);
        }
        try (MeshProxy proxy = MeshProxy.builder().source("default", Map.of("app", "canary")).config(config(BY_SNI)).start()) {
            assertThat(httpsGet(proxy.serviceAddress("api.example.com:443"), "api.example.com")).endsWith("anonymous");
            assertThat(v2.serverNames()).hasSize(before2 + 1);
        }
    }

    @Test
    void anSniNoRuleNamesIsClosedWithNR() throws Exception {
        try (MeshProxy proxy = MeshProxy.builder().config(config(BY_SNI)).start();
             Socket s = TcpClient.connect(proxy.serviceAddress("api.example.com:443"))) {
            s.getOutputStream().write(clientHello("other.example.com"));
            assertThat(TcpClient.closedWithoutData(s)).isTrue();
            Connection c = awaitConnections(proxy, 1).get(0);
            assertThat(c.sni()).isEqualTo("other.example.com");
            assertThat(c.flags()).containsExactly(ResponseFlag.NR);
        }
    }

    @Test
    void aClientHelloSplitIntoTinySegmentsAndTwoRecordsIsStillRead() throws Exception {
        byte[] hello = clientHello("api.example.com");
        byte[] twoRecords = splitIntoTwoRecords(hello);
        try (MeshProxy proxy = MeshProxy.builder().config(config(BY_SNI)).start();
             Socket s = TcpClient.connect(proxy.serviceAddress("api.example.com:443"))) {
            OutputStream out = s.getOutputStream();
            for (int i = 0; i < twoRecords.length; i += 7) {
                out.write(twoRecords, i, Math.min(7, twoRecords.length - i));
                out.flush();
                Thread.sleep(2);
            }
            int first = s.getInputStream().read();
            assertThat(first).as("the backend's ServerHello record").isEqualTo(0x16);
            s.close();
            Connection c = awaitConnections(proxy, 1).get(0);
            assertThat(c.sni()).isEqualTo("api.example.com");
            assertThat(c.subset()).isEqualTo("v1");
            assertThat(c.bytesFromClient()).isEqualTo(twoRecords.length);
        }
    }

    @Test
    void bytesThatAreNotTlsCarryNoSniSoNoTlsRuleTakesThem() throws Exception {
        try (MeshProxy proxy = MeshProxy.builder().config(config(BY_SNI)).start();
             Socket s = TcpClient.connect(proxy.serviceAddress("api.example.com:443"))) {
            s.getOutputStream().write("hello\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(TcpClient.closedWithoutData(s)).isTrue();
            Connection c = awaitConnections(proxy, 1).get(0);
            assertThat(c.sni()).isNull();
            assertThat(c.flags()).containsExactly(ResponseFlag.NR);
        }
    }

    @Test
    void aTlsPortIgnoresTcpRulesAndWithoutATlsRuleIsProxiedOpaquely() throws Exception {
        String tcpOnly = """
                tcp:
                - route: [{destination: {host: api.example.com, subset: v2}}]
                """;
        try (MeshProxy proxy = MeshProxy.builder().config(config(tcpOnly)).start()) {
            for (int i = 0; i < 6; i++) {
                assertThat(httpsGet(proxy.serviceAddress("api.example.com:443"), "api.example.com")).endsWith("anonymous");
            }
            assertThat(awaitConnections(proxy, 6)).allSatisfy(c -> {
                assertThat(c.route().name()).isEqualTo("default:api.example.com");
                assertThat(c.sni()).isEqualTo("api.example.com");
            });
        }
    }

    @Test
    void aBrokenOrOversizedClientHelloIsClosedAsAProtocolError() throws Exception {
        byte[] notARecord = {0x15, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};
        // A full record whose handshake header announces a 1 MiB ClientHello (over the 64 KiB the proxy reads).
        byte[] huge = new byte[5 + 0x4000];
        System.arraycopy(new byte[] {0x16, 0x03, 0x01, 0x40, 0x00, 0x01, 0x10, 0x00, 0x00}, 0, huge, 0, 9);
        try (MeshProxy proxy = MeshProxy.builder().config(config(BY_SNI)).start()) {
            for (byte[] bad : new byte[][] {notARecord, huge}) {
                try (Socket s = TcpClient.connect(proxy.serviceAddress("api.example.com:443"))) {
                    s.getOutputStream().write(bad);
                    assertThat(TcpClient.closedWithoutData(s)).isTrue();
                }
            }
            assertThat(awaitConnections(proxy, 2)).allSatisfy(c -> {
                assertThat(c.endReason()).isEqualTo(EndReason.NO_ROUTE);
                assertThat(c.flags()).containsExactly(ResponseFlag.DPE);
            });
            // and the listener still serves
            assertThat(httpsGet(proxy.serviceAddress("api.example.com:443"), "api.example.com")).endsWith("anonymous");
        }
    }

    @Test
    void aClientThatSendsNoClientHelloIsClosedAfterTheInspectionTimeoutAndBlocksNoOne() throws Exception {
        try (MeshProxy proxy = MeshProxy.builder().tlsInspectionTimeout(Duration.ofSeconds(1)).config(config(BY_SNI)).start();
             Socket silent = TcpClient.connect(proxy.serviceAddress("api.example.com:443"));
             Socket partial = TcpClient.connect(proxy.serviceAddress("api.example.com:443"))) {
            long start = System.nanoTime();
            partial.getOutputStream().write(Arrays.copyOf(clientHello("api.example.com"), 3));
            assertThat(httpsGet(proxy.serviceAddress("api.example.com:443"), "api.example.com")).endsWith("anonymous");
            assertThat(TcpClient.closedWithoutData(silent)).isTrue();
            assertThat(TcpClient.closedWithoutData(partial)).isTrue();
            // A lower bound only: the timer is the proxy's, the close may come later on a loaded machine.
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(950));
            assertThat(awaitConnections(proxy, 3)).filteredOn(c -> c.endReason() == EndReason.INSPECTION_TIMEOUT).hasSize(2);
        }
    }

    @Test
    void aGatewayTheProxyPlaysRoutesTlsBySniOnThePortItsRulesName() throws Exception {
        String edge = """
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: edge}
                spec:
                  hosts: ["*.example.com"]
                  gateways: [istio-system/edge-gateway]
                  tls:
                  - match: [{port: 8443, sniHosts: [api.example.com]}]
                    route: [{destination: {host: api.example.com, port: {number: 443}, subset: v2}}]
                """;
        int before = v2.serverNames().size();
        try (MeshProxy proxy = MeshProxy.builder().gateway("edge-gateway").config(config(BY_SNI, edge)).start()) {
            InetSocketAddress gateway = proxy.serviceAddress("edge-gateway:8443");
            assertThat(httpsGet(gateway, "api.example.com")).endsWith("anonymous");
            assertThat(v2.serverNames()).hasSize(before + 1);
            try (Socket s = TcpClient.connect(gateway)) {
                s.getOutputStream().write(clientHello("www.example.com"));
                assertThat(TcpClient.closedWithoutData(s)).isTrue();
            }
            // Journalled as they end, so in either order.
            assertThat(awaitConnections(proxy, 2)).extracting(c -> c.route() == null ? "NR" : c.route().virtualService())
                    .containsExactlyInAnyOrder("edge", "NR");
        }
    }

    /** The first flight of a JDK TLS client for {@code sni}: one TLS record holding the ClientHello. */
    static byte[] clientHello(String sni) throws Exception {
        SSLEngine engine = client.createSSLEngine(sni, 443);
        engine.setUseClientMode(true);
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.wrap(ByteBuffer.allocate(0), out);
        out.flip();
        byte[] b = new byte[out.remaining()];
        out.get(b);
        return b;
    }

    /** The same handshake message carried by two TLS records, as a client may fragment it. */
    static byte[] splitIntoTwoRecords(byte[] record) {
        int bodyLength = record.length - 5;
        int firstPart = bodyLength / 2;
        ByteBuffer b = ByteBuffer.allocate(record.length + 5);
        b.put(record, 0, 3).putShort((short) firstPart).put(record, 5, firstPart);
        b.put(record, 0, 3).putShort((short) (bodyLength - firstPart)).put(record, 5 + firstPart, bodyLength - firstPart);
        return b.array();
    }
}
