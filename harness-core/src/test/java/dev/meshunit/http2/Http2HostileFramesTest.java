package dev.meshunit.http2;

import static dev.meshunit.http2.H2Wire.CONTINUATION;
import static dev.meshunit.http2.H2Wire.DATA;
import static dev.meshunit.http2.H2Wire.END_HEADERS;
import static dev.meshunit.http2.H2Wire.END_STREAM;
import static dev.meshunit.http2.H2Wire.HEADERS;
import static dev.meshunit.http2.H2Wire.PING;
import static dev.meshunit.http2.H2Wire.RST_STREAM;
import static dev.meshunit.http2.H2Wire.SETTINGS;
import static dev.meshunit.http2.H2Wire.WINDOW_UPDATE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshunit.MeshProxy;
import dev.meshunit.journal.Exchange;
import dev.meshunit.journal.ResponseFlag;
import dev.meshunit.testing.NoLeaks;
import dev.meshunit.testing.OneService;
import dev.meshunit.testing.TestBackend;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Hostile HTTP/2 clients, as raw frames on a socket: floods of resets and PINGs, empty frames and
 * CONTINUATION, oversized header lists, flow-control and stream-id violations. Each is answered with a GOAWAY
 * (the connection's error code as the RFC and Envoy's limits say) or a stream reset, and the proxy serves the
 * next client on; nothing leaks (PARANOID leak detection).
 */
@ExtendWith(NoLeaks.class)
class Http2HostileFramesTest {
    private static final int PROTOCOL_ERROR = 0x1, FLOW_CONTROL_ERROR = 0x3, ENHANCE_YOUR_CALM = 0xb;

    static TestBackend backend;
    static MeshProxy proxy;

    @BeforeAll
    static void start() {
        backend = TestBackend.named("svc");
        // /slow waits a minute before going upstream, so that a stream stays open until the client resets it.
        proxy = MeshProxy.builder().config(OneService.withRules(backend.port(), """
                  - match: [{uri: {prefix: /slow}}]
                    fault: {delay: {fixedDelay: 60s, percentage: {value: 100}}}
                    route: [{destination: {host: svc}}]
                  - route: [{destination: {host: svc}}]
                """, "")).start();
    }

    @AfterAll
    static void stop() {
        proxy.close();
        backend.close();
    }

    private static void proxyServesOn() {
        try (H2Clients h2 = new H2Clients(proxy.port())) {
            assertThat(h2.get(OneService.AUTHORITY, "/fine").status()).isEqualTo(200);
        }
    }

    @Test
    void theProxyAnnouncesEnvoysStreamAndHeaderListLimits() throws IOException {
        try (H2Wire wire = new H2Wire(proxy.port(), 0)) {
            wire.flush();
            H2Wire.Frame settings = wire.read();
            assertThat(settings.type()).isEqualTo(SETTINGS);
            assertThat(settingValue(settings, 0x3)).as("MAX_CONCURRENT_STREAMS").isEqualTo(Integer.MAX_VALUE);
            assertThat(settingValue(settings, 0x6)).as("MAX_HEADER_LIST_SIZE").isEqualTo(60 * 1024);
        }
    }

    private static long settingValue(H2Wire.Frame f, int id) {
        byte[] p = f.payload();
        for (int i = 0; i + 6 <= p.length; i += 6) {
            int key = (p[i] & 0xff) << 8 | p[i + 1] & 0xff;
            long v = (p[i + 2] & 0xffL) << 24 | (p[i + 3] & 0xff) << 16 | (p[i + 4] & 0xff) << 8 | p[i + 5] & 0xff;
            if (key == id) return v;
        }
        return -1;
    }

    @Test
    void aRapidResetFloodGetsAGoawayAndEachResetStreamIsJournalledAsGone() throws IOException {
        try (H2Wire wire = new H2Wire(proxy.port(), 0)) {
            byte[] block = wire.requestBlock("GET", OneService.AUTHORITY, "/slow/reset");
            for (int i = 0; i < 1000; i++) {
                int stream = 2 * i + 1;
                wire.frame(HEADERS, END_HEADERS | END_STREAM, stream, block);
                wire.frame(RST_STREAM, 0, stream, H2Wire.u32(0x8)); // CANCEL
            }
            wire.flush();
            H2Wire.Frame goaway = wire.awaitGoaway(10_000);
            assertThat(goaway).isNotNull();
            assertThat(goaway.goawayError()).isEqualTo(ENHANCE_YOUR_CALM);
        } catch (java.net.SocketException closedWhileWriting) {
            // the proxy closed the connection before the client had written all its resets: also refused
        }
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> !proxy.journal().select(e -> e.path().equals("/slow/reset")).isEmpty());
        List<Exchange> reset = proxy.journal().select(e -> e.path().equals("/slow/reset"));
        assertThat(reset).isNotEmpty().allSatisfy(e -> assertThat(e.flags()).contains(ResponseFlag.DC));
        assertThat(backend.received()).noneSatisfy(r -> assertThat(r.path()).isEqualTo("/slow/reset"));
        proxyServesOn();
    }

    @Test
    void aPingFloodFromAClientThatDoesNotReadIsCutOff() throws IOException {
        // Every PING wants an ack; once the socket buffers are full (a few MB) the acks queue in the proxy, and
        // past 1,000 of them (Envoy's max_outbound_control_frames) the connection is closed. Slow under PARANOID
        // leak detection (each ack is a tracked buffer): about 250,000 frames go before the buffers are full.
        try (H2Wire wire = new H2Wire(proxy.port(), 4096)) {
            ByteArrayOutputStream batch = new ByteArrayOutputStream();
            for (int i = 0; i < 2000; i++) batch.writeBytes(H2Wire.frameBytes(PING, 0, 0, new byte[8]));
            byte[] b = batch.toByteArray();
            boolean cut = false;
            // At most 2 million PINGs (34 MB): the acks pile up long before.
            for (int i = 0; i < 1000 && !cut; i++) {
                try {
                    wire.write(b);
                } catch (IOException e) {
                    cut = true;
                }
            }
            if (!cut) cut = wire.drainToEnd(5_000_000);
            assertThat(cut).as("the proxy closed the flooding connection").isTrue();
        }
        proxyServesOn();
    }

    @Test
    void emptyDataFramesInARowGetAGoaway() throws IOException {
        try (H2Wire wire = new H2Wire(proxy.port(), 0)) {
            wire.frame(HEADERS, END_HEADERS, 1, wire.requestBlock("POST", OneService.AUTHORITY, "/slow/empty"));
            for (int i = 0; i < 10; i++) wire.frame(DATA, 0, 1, new byte[0]);
            wire.flush();
            H2Wire.Frame goaway = wire.awaitGoaway(1000);
            assertThat(goaway).isNotNull();
            assertThat(goaway.goawayError()).isEqualTo(ENHANCE_YOUR_CALM);
        }
        proxyServesOn();
    }

    @Test
    void anEndlessHeaderBlockInContinuationFramesGetsAGoawayBeforeItFillsTheHeap() throws IOException {
        try (H2Wire wire = new H2Wire(proxy.port(), 0)) {
            wire.frame(HEADERS, 0, 1, wire.requestBlock("GET", OneService.AUTHORITY, "/flood"));
            boolean cut = false;
            // Never END_HEADERS: 16 KB fragments (the proxy counts them before it decodes any), up to 64 MB, far
            // past the 60 KiB header list the proxy announced.
            byte[] fragment = new byte[16_000];
            for (int i = 0; i < 4000 && !cut; i++) {
                try {
                    wire.frame(CONTINUATION, 0, 1, fragment);
                } catch (IOException e) {
                    cut = true;
                }
            }
            if (!cut && wire.tryFlush()) {
                // A GOAWAY, or the end of the connection; a proxy that kept waiting would time the read out.
                H2Wire.Frame goaway = wire.awaitGoaway(1000);
                if (goaway != null) assertThat(goaway.goawayError()).isNotZero();
            }
        }
        proxyServesOn();
        assertThat(proxy.journal().select(e -> e.path().equals("/flood"))).isEmpty();
    }

    @Test
    void manySmallContinuationFramesGetAGoaway() throws IOException {
        try (H2Wire wire = new H2Wire(proxy.port(), 0)) {
            byte[] block = wire.requestBlock("GET", OneService.AUTHORITY, "/small-continuations");
            wire.frame(HEADERS, 0, 1, Arrays.copyOfRange(block, 0, 1));
            boolean cut = false;
            for (int i = 0; i < 10_000 && !cut; i++) {
                try {
                    wire.frame(CONTINUATION, 0, 1, new byte[0]);
                } catch (IOException e) {
                    cut = true;
                }
            }
            cut = cut || !wire.tryFlush();
            if (!cut) {
                H2Wire.Frame goaway = wire.awaitGoaway(1000);
                assertThat(goaway).isNotNull();
                assertThat(goaway.goawayError()).isIn(PROTOCOL_ERROR, ENHANCE_YOUR_CALM);
            }
        }
        proxyServesOn();
    }

    @Test
    void aWindowUpdateThatOverflowsTheConnectionWindowGetsAFlowControlGoaway() throws IOException {
        try (H2Wire wire = new H2Wire(proxy.port(), 0)) {
            wire.frame(WINDOW_UPDATE, 0, 0, H2Wire.u32(Integer.MAX_VALUE));
            wire.flush();
            H2Wire.Frame goaway = wire.awaitGoaway(100);
            assertThat(goaway).isNotNull();
            assertThat(goaway.goawayError()).isEqualTo(FLOW_CONTROL_ERROR);
        }
        proxyServesOn();
    }

    @Test
    void aStreamTheClientMayNotOpenGetsAProtocolGoaway() throws IOException {
        try (H2Wire wire = new H2Wire(proxy.port(), 0)) {
            // Even stream ids are the server's.
            wire.frame(HEADERS, END_HEADERS | END_STREAM, 2, wire.requestBlock("GET", OneService.AUTHORITY, "/even"));
            wire.flush();
            H2Wire.Frame goaway = wire.awaitGoaway(100);
            assertThat(goaway).isNotNull();
            assertThat(goaway.goawayError()).isEqualTo(PROTOCOL_ERROR);
        }
        proxyServesOn();
        assertThat(backend.received()).noneSatisfy(r -> assertThat(r.path()).isEqualTo("/even"));
    }
}
