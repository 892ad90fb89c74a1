package dev.meshunit.dataplane;

import static dev.meshunit.testing.Sockets.connect;
import static dev.meshunit.testing.Sockets.readAll;
import static dev.meshunit.testing.Sockets.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshunit.MeshProxy;
import dev.meshunit.journal.Exchange;
import dev.meshunit.journal.ResponseFlag;
import dev.meshunit.testing.NoLeaks;
import dev.meshunit.testing.OneService;
import dev.meshunit.testing.RawHttp;
import dev.meshunit.testing.RawUpstream;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 12, findings 5, 6 and 8: request framing Envoy refuses. CONNECT is not tunnelled by Istio's sidecar (404
 * NR, and the bytes after it are never routed), two Host headers and a target without {@code /} are 400 (RFC 9112
 * 3.2), a transfer coding other than chunked is 501; nothing of it reaches the upstream.
 */
@ExtendWith(NoLeaks.class)
class HostileFramingTest {
    private static final Duration PROMPT = Duration.ofSeconds(10);

    @Test
    void connectIsAnswered404NoRouteAndWhatFollowsIsNeverRouted() throws IOException {
        try (RawUpstream up = RawUpstream.answering(r -> RawUpstream.ok("fine"));
             MeshProxy proxy = MeshProxy.builder().config(OneService.config(up.port())).start();
             Socket s = connect(proxy)) {
            write(s, "CONNECT svc:8080 HTTP/1.1\r\nHost: svc:8080\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: svc:8080\r\n\r\n");
            String answer = readAll(s);
            assertThat(answer).startsWith("HTTP/1.1 404 ").containsIgnoringCase("connection: close");
            assertThat(answer).as("one answer, not two").doesNotContain("fine");
            await().atMost(PROMPT).until(() -> proxy.journal().recorded() == 1);
            Exchange e = proxy.journal().exchanges().get(0);
            assertThat(e.method()).isEqualTo("CONNECT");
            assertThat(e.authority()).isEqualTo("svc:8080");
            assertThat(e.status()).isEqualTo(404);
            assertThat(e.flags()).containsExactly(ResponseFlag.NR);
            assertThat(up.requests()).isEmpty();
        }
    }

    @Test
    void twoHostHeadersGet400() throws IOException {
        refused("GET /x HTTP/1.1\r\nHost: svc:8080\r\nHost: other:8080\r\n\r\n", 400);
    }

    @ParameterizedTest
    @ValueSource(strings = {"x", "svc:8080/x", "?q=1", "*"})
    void aTargetThatIsNeitherOriginNorAbsoluteFormGets400(String target) throws IOException {
        refused("GET " + target + " HTTP/1.1\r\nHost: svc:8080\r\n\r\n", 400);
    }

    @Test
    void anAbsoluteFormTargetAndOptionsStarStillPass() {
        try (RawUpstream up = RawUpstream.answering(r -> RawUpstream.ok("fine"));
             MeshProxy proxy = MeshProxy.builder().config(OneService.config(up.port())).start();
             RawHttp c = new RawHttp(proxy.port())) {
            assertThat(c.sendRaw("GET http://svc:8080/abs HTTP/1.1\r\nHost: svc:8080\r\n\r\n").status()).isEqualTo(200);
            assertThat(c.sendRaw("OPTIONS * HTTP/1.1\r\nHost: svc:8080\r\n\r\n").status()).isNotEqualTo(400);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"gzip", "gzip, chunked", "identity", "chunked, chunked"})
    void aTransferCodingOtherThanChunkedGets501(String coding) throws IOException {
        refused("POST /x HTTP/1.1\r\nHost: svc:8080\r\nTransfer-Encoding: " + coding + "\r\n\r\n3\r\nabc\r\n0\r\n\r\n", 501);
    }

    private static void refused(String raw, int status) throws IOException {
        try (RawUpstream up = RawUpstream.answering(r -> RawUpstream.ok("fine"));
             MeshProxy proxy = MeshProxy.builder().config(OneService.config(up.port())).start();
             Socket s = connect(proxy)) {
            write(s, raw);
            String answer = readAll(s);
            assertThat(answer).startsWith("HTTP/1.1 " + status + " ").containsIgnoringCase("connection: close");
            await().atMost(PROMPT).until(() -> proxy.journal().recorded() == 1);
            Exchange e = proxy.journal().exchanges().get(0);
            assertThat(e.status()).isEqualTo(status);
            assertThat(e.flags()).containsExactly(ResponseFlag.DPE);
            assertThat(up.requests()).isEmpty();
            assertThat(proxy.downstreamStats().cxProtocolError()).isEqualTo(1);
            assertThat(RawHttp.get(proxy.port(), OneService.AUTHORITY, "/after").status()).isEqualTo(200);
        }
    }
}
