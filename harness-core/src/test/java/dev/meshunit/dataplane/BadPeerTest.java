package dev.meshunit.dataplane;

import static dev.meshunit.testing.Journals.awaitExchange;
import static dev.meshunit.testing.Sockets.connect;
import static dev.meshunit.testing.Sockets.readAll;
import static dev.meshunit.testing.Sockets.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshunit.MeshProxy;
import dev.meshunit.journal.Attempt;
import dev.meshunit.journal.Exchange;
import dev.meshunit.journal.ResponseFlag;
import dev.meshunit.testing.Async;
import dev.meshunit.testing.NoLeaks;
import dev.meshunit.testing.OneService;
import dev.meshunit.testing.RawHttp;
import dev.meshunit.testing.RawUpstream;
import dev.meshunit.testing.RefusingPort;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Clients and upstreams that misbehave: the proxy answers as Envoy would, records it, and keeps serving others. */
@ExtendWith(NoLeaks.class)
class BadPeerTest {
    private static final Duration PROMPT = Duration.ofSeconds(5);

    // ---- downstream ---------------------------------------------------------------------------------------

    @Test
    void malformedRequestLineGets400AndClose() {
        downstreamRejected("this is not http\r\n\r\n", 400);
    }

    @Test
    void malformedHeaderGets400AndClose() {
        downstreamRejected("GET /x HTTP/1.1\r\nHost: svc:8080\r\nno colon here\r\n\r\n", 400);
    }

    @Test
    void oversizedHeadersGet431AndClose() {
        String big = "x-big: " + "a".repeat(61 * 1024) + "\r\n";
        downstreamRejected("GET /x HTTP/1.1\r\nHost: svc:8080\r\n" + big + "\r\n", 431);
    }

    @Test
    void requestWithoutHostGets400AndClose() {
        downstreamRejected("GET /x HTTP/1.1\r\n\r\n", 400);
    }

    @Test
    void unparsableContentLengthGets400AndClose() {
        downstreamRejected("POST /x HTTP/1.1\r\nHost: svc:8080\r\nContent-Length: ten\r\n\r\n0123456789", 400);
    }

    @Test
    void contentLengthWithChunkedGets400AndClose() {
        // Envoy rejects both framings at once (allow_chunked_length is off by default): a smuggling vector.
        downstreamRejected("POST /x HTTP/1.1\r\nHost: svc:8080\r\nContent-Length: 3\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n", 400);
    }

    @Test
    void binaryGarbageGets400AndClose() {
        byte[] junk = new byte[512];
        new Random(7).nextBytes(junk);
        downstreamRejected(new String(junk, StandardCharsets.ISO_8859_1) + "\r\n\r\n", 400);
    }

    private void downstreamRejected(String raw, int expectedStatus) {
        try (RawUpstream up = RawUpstream.answering(r -> RawUpstream.ok("fine"));
             MeshProxy proxy = MeshProxy.builder().config(OneService.config(up.port())).start();
             Socket bad = connect(proxy)) {
            write(bad, raw);
            String answer = readAll(bad);
            assertThat(answer).startsWith("HTTP/1.1 " + expectedStatus + " ");
            assertThat(answer).containsIgnoringCase("connection: close");
            await().atMost(PROMPT).until(() -> proxy.journal().recorded() == 1);
            Exchange e = proxy.journal().exchanges().get(0);
            assertThat(e.status()).isEqualTo(expectedStatus);
            assertThat(e.flags()).containsExactly(ResponseFlag.DPE);
            assertThat(e.attempts()).isEmpty();
            assertThat(up.requests()).isEmpty();
            assertServesPromptly(proxy);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void clientLeavingMidBodyIsRecordedAsDownstreamCloseAndUpstreamIsReleased() throws IOException {
        try (RawUpstream up = RawUpstream.start(BadPeerTest::answerProbeElseHang);
             MeshProxy proxy = MeshProxy.builder().config(OneService.config(up.port())).start()) {
            try (Socket half = connect(proxy)) {
                write(half, "POST /half HTTP/1.1\r\nHost: svc:8080\r\nContent-Length: 100\r\n\r\n0123456789");
                await().atMost(PROMPT).until(() -> up.connections() == 1);
                // Another client is not held up while this request is stuck half-way.
                assertServesPromptly(proxy);
            }
            Exchange e = awaitExchange(proxy, "/half");
            assertThat(e.status()).isZero();
            assertThat(e.flags()).containsExactly(ResponseFlag.DC);
            await().atMost(PROMPT).until(() -> up.closedByPeer() == 1);
        }
    }

    @Test
    void clientLeavingMidHeadersIsRecordedAsDownstreamClose() throws IOException {
        try (RawUpstream up = RawUpstream.answering(r -> RawUpstream.ok("fine"));
             MeshProxy proxy = MeshProxy.builder().config(OneService.config(up.port())).start()) {
            try (Socket half = connect(proxy)) {
                write(half, "GET /half HTTP/1.1\r\nHost: svc:80");
                assertServesPromptly(proxy);
            }
            await().atMost(PROMPT).until(() -> proxy.journal().recorded() == 2);
            Exchange e = proxy.journal().select(x -> !x.path().equals("/ok")).get(0);
            assertThat(e.status()).isZero();
            assertThat(e.flags()).containsExactly(ResponseFlag.DC);
            assertThat(up.requests()).extracting(RawUpstream.Request::target).containsExactly("/ok");
        }
    }

    @Test
    void clientLeavingWhileBackendIsSlowClosesTheUpstreamConnection() throws IOException {
        try (RawUpstream up = RawUpstream.start(BadPeerTest::answerProbeElseHang);
             MeshProxy proxy = MeshProxy.builder().config(OneService.config(up.port())).start()) {
            try (Socket s = connect(proxy)) {
                write(s, "GET /slow HTTP/1.1\r\nHost: svc:8080\r\n\r\n");
                await().atMost(PROMPT).until(() -> up.requests().size() == 1);
                assertServesPromptly(proxy);
            }
            Exchange e = awaitExchange(proxy, "/slow");
            assertThat(e.status()).isZero();
            assertThat(e.flags()).containsExactly(ResponseFlag.DC);
            assertThat(e.attempts()).singleElement().satisfies(a -> {
                assertThat(a.endpoint()).isEqualTo("127.0.0.1:" + up.port());
                assertThat(a.status()).isZero();
                assertThat(a.error()).isEqualTo("downstream disconnected");
            });
            await().atMost(PROMPT).until(() -> up.closedByPeer() == 1);
        }
    }

    @Test
    void clientLeavingMidResponseIsDownstreamCloseWithTheStatusSent() throws IOException {
        String head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
        String chunk = "4000\r\n" + "x".repeat(0x4000) + "\r\n";
        try (RawUpstream up = RawUpstream.start(c -> {
                 c.read();
                 c.write(head);
                 // Endless until the proxy gives up on it; the write fails once it has.
                 for (int i = 0; i < 100_000; i++) c.write(chunk);
             });
             MeshProxy proxy = MeshProxy.builder().config(OneService.config(up.port())).start()) {
            try (Socket s = connect(proxy)) {
                write(s, "GET /endless HTTP/1.1\r\nHost: svc:8080\r\n\r\n");
                assertThat(s.getInputStream().readNBytes(64 * 1024)).hasSize(64 * 1024);
            }
            Exchange e = awaitExchange(proxy, "/endless");
            assertThat(e.status()).isEqualTo(200);
            assertThat(e.flags()).containsExactly(ResponseFlag.DC);
            await().atMost(PROMPT).until(() -> up.openConnections() == 0);
        }
    }

    @Test
    void badChunkInARequestBodyGets400AndClosesBothConnections() throws IOException {
        try (RawUpstream up = RawUpstream.start(c -> {
                 c.readHead();
                 c.awaitPeerClose();
             });
             MeshProxy proxy = MeshProxy.builder().config(OneService.config(up.port())).start();
             Socket s = connect(proxy)) {
            write(s, "POST /badchunk HTTP/1.1\r\nHost: svc:8080\r\nTransfer-Encoding: chunked\r\n\r\n");
            await().atMost(PROMPT).until(() -> up.requests().size() == 1);
            write(s, "zz\r\nnot a chunk\r\n");
            assertThat(readAll(s)).startsWith("HTTP/1.1 400 ");
            Exchange e = awaitExchange(proxy, "/badchunk");
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.flags()).containsExactly(ResponseFlag.DPE);
            assertThat(e.attempts()).singleElement().satisfies(a -> {
                assertThat(a.endpoint()).isEqualTo("127.0.0.1:" + up.port());
                assertThat(a.error()).isEqualTo("downstream protocol error");
            });
            await().atMost(PROMPT).until(() -> up.closedByPeer() == 1);
        }
    }

    @Test
    void stuckClientsAndASlowBackendHoldUpNoOneElse() throws IOException {
        List<Socket> stuck = new ArrayList<>();
        ExecutorService clients = Executors.newFixedThreadPool(10);
        // One event loop: anything that blocked it would stall every connection.
        try (RawUpstream up = RawUpstream.start(BadPeerTest::answerProbeElseHang);
             MeshProxy proxy = MeshProxy.builder().ioThreads(1).config(OneService.config(up.port())).start()) {
            for (int i = 0; i < 10; i++) {
                Socket half = connect(proxy);
                stuck.add(half);
                write(half, "GET /half-head HTTP/1.1\r\nHost: sv");
                Socket slow = connect(proxy);
                stuck.add(slow);
                write(slow, "POST /slow HTTP/1.1\r\nHost: svc:8080\r\nContent-Length: 10\r\n\r\n01234");
            }
            await().atMost(PROMPT).until(() -> up.connections() >= 10);
            List<CompletableFuture<RawHttp.Response>> probes = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                probes.add(CompletableFuture.supplyAsync(
                        () -> RawHttp.get(proxy.port(), OneService.AUTHORITY, "/ok"), clients));
            }
            for (CompletableFuture<RawHttp.Response> p : probes) {
                assertThat(p).succeedsWithin(PROMPT).satisfies(r -> assertThat(r.status()).isEqualTo(200));
            }
        } finally {
            clients.shutdownNow();
            for (Socket s : stuck) s.close();
        }
    }

    // ---- upstream -----------------------------------------------------------------------------------------

    @Test
    void refusedConnectionIsRetriedTwiceByDefaultThen503UfUrx() {
        RefusingPort refusing = new RefusingPort();
        int port = refusing.port();
        try (refusing; MeshProxy proxy = MeshProxy.builder().config(OneService.config(port)).start()) {
            RawHttp.Response r = RawHttp.get(proxy.port(), OneService.AUTHORITY, "/refused");
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.body()).startsWith("upstream connect error or disconnect/reset before headers.")
                    .contains("connection failure");
            Exchange e = awaitExchange(proxy, "/refused");
            assertThat(e.status()).isEqualTo(503);
            assertThat(e.flags()).containsExactlyInAnyOrder(ResponseFlag.UF, ResponseFlag.URX);
            assertThat(e.attempts()).hasSize(3).allSatisfy(a -> {
                assertThat(a.endpoint()).isEqualTo("127.0.0.1:" + port);
                assertThat(a.status()).isZero();
                assertThat(a.flags()).containsExactly(ResponseFlag.UF);
                assertThat(a.error()).containsIgnoringCase("refused");
            });
            assertThat(e.attempts()).extracting(Attempt::number).containsExactly(1, 2, 3);
        }
    }

    @Test
    void refusedConnectionWithoutRetriesIsOneAttemptUf() {
        RefusingPort refusing = new RefusingPort();
        int port = refusing.port();
        try (refusing; MeshProxy proxy = MeshProxy.builder().config(OneService.config(port, "retries: {attempts: 0}")).start()) {
            assertThat(RawHttp.get(proxy.port(), OneService.AUTHORITY, "/refused").status()).isEqualTo(503);
            Exchange e = awaitExchange(proxy, "/refused");
            assertThat(e.flags()).containsExactly(ResponseFlag.UF);
            assertThat(e.attempts()).hasSize(1);
        }
    }

    @Test
    void upstreamResetBeforeAnsweringIs503Uc() {
        try (RawUpstream up = RawUpstream.start(c -> {
                 c.read();
                 c.reset();
             });
             MeshProxy proxy = MeshProxy.builder().config(OneService.config(up.port())).start()) {
            RawHttp.Response r = RawHttp.get(proxy.port(), OneService.AUTHORITY, "/reset");
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.body()).isEqualTo(
                    "upstream connect error or disconnect/reset before headers. reset reason: connection termination");
            Exchange e = awaitExchange(proxy, "/reset");
            assertThat(e.status()).isEqualTo(503);
            assertThat(e.flags()).containsExactly(ResponseFlag.UC);
            assertThat(e.attempts()).singleElement().satisfies(a -> {
                assertThat(a.endpoint()).isEqualTo("127.0.0.1:" + up.port());
                assertThat(a.flags()).containsExactly(ResponseFlag.UC);
                assertThat(a.error()).isNotBlank();
            });
            assertThat(up.requests()).hasSize(1);
        }
    }

    @Test
    void upstreamAnsweringGarbageIs503Upe() {
        // Envoy's flag for an upstream that does not speak HTTP/1.1 is UPE (upstream protocol error).
        try (RawUpstream up = RawUpstream.start(c -> {
                 c.read();
                 c.write("SSH-2.0-OpenSSH_9.6 not http at all\r\n\r\n");
                 c.awaitPeerClose();
             });
             MeshProxy proxy = MeshProxy.builder().config(OneService.config(up.port())).start()) {
            RawHttp.Response r = RawHttp.get(proxy.port(), OneService.AUTHORITY, "/garbage");
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.body()).isEqualTo(
                    "upstream connect error or disconnect/reset before headers. reset reason: protocol error");
            Exchange e = awaitExchange(proxy, "/garbage");
            assertThat(e.flags()).containsExactly(ResponseFlag.UPE);
            assertThat(e.attempts()).singleElement().satisfies(a -> {
                assertThat(a.flags()).containsExactly(ResponseFlag.UPE);
                assertThat(a.error()).startsWith("protocol error");
            });
            await().atMost(PROMPT).until(() -> up.closedByPeer() == 1);
        }
    }

    @Test
    void upstreamHeadersOver60KiBAre503Upe() {
        String big = "x-big: " + "b".repeat(61 * 1024) + "\r\n";
        try (RawUpstream up = RawUpstream.start(c -> {
                 c.read();
                 c.write("HTTP/1.1 200 OK\r\n" + big + "Content-Length: 0\r\n\r\n");
                 c.awaitPeerClose();
             });
             MeshProxy proxy = MeshProxy.builder().config(OneService.config(up.port())).start()) {
            RawHttp.Response r = RawHttp.get(proxy.port(), OneService.AUTHORITY, "/bighead");
            assertThat(r.status()).isEqualTo(503);
            Exchange e = awaitExchange(proxy, "/bighead");
            assertThat(e.flags()).containsExactly(ResponseFlag.UPE);
            assertThat(e.attempts()).singleElement().satisfies(a -> assertThat(a.flags()).containsExactly(ResponseFlag.UPE));
        }
    }

    @Test
    void badChunkInAnUpstreamBodyClosesTheClientConnectionUpe() throws IOException {
        try (RawUpstream up = RawUpstream.start(c -> {
                 c.read();
                 c.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nzz\r\n");
                 c.awaitPeerClose();
             });
             MeshProxy proxy = MeshProxy.builder().config(OneService.config(up.port())).start();
             Socket s = connect(proxy)) {
            write(s, "GET /badchunk HTTP/1.1\r\nHost: svc:8080\r\n\r\n");
            assertThat(readAll(s)).startsWith("HTTP/1.1 200 ").contains("hello").doesNotEndWith("0\r\n\r\n");
            Exchange e = awaitExchange(proxy, "/badchunk");
            assertThat(e.status()).isEqualTo(200);
            assertThat(e.flags()).containsExactly(ResponseFlag.UPE);
            await().atMost(PROMPT).until(() -> up.closedByPeer() == 1);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"Content-Length: 1000\r\n\r\nonly a part", "Transfer-Encoding: chunked\r\n\r\nb\r\nonly a part\r\n"})
    void upstreamClosingMidBodyClosesTheClientConnectionUc(String headAndPartialBody) throws IOException {
        try (RawUpstream up = RawUpstream.start(c -> {
                 c.read();
                 c.write("HTTP/1.1 200 OK\r\n" + headAndPartialBody);
                 c.close();
             });
             MeshProxy proxy = MeshProxy.builder().config(OneService.config(up.port())).start();
             Socket s = connect(proxy)) {
            write(s, "GET /cut HTTP/1.1\r\nHost: svc:8080\r\n\r\n");
            String got = readAll(s);
            assertThat(got).startsWith("HTTP/1.1 200 ").contains("only a part").doesNotEndWith("0\r\n\r\n");
            Exchange e = awaitExchange(proxy, "/cut");
            assertThat(e.status()).isEqualTo(200);
            assertThat(e.flags()).containsExactly(ResponseFlag.UC);
            assertThat(e.attempts()).singleElement().satisfies(a -> assertThat(a.status()).isEqualTo(200));
        }
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    /** A normal request on a new connection is answered at once (the upstream answers "fine" to it). */
    private static void assertServesPromptly(MeshProxy proxy) {
        CompletableFuture<RawHttp.Response> ok = CompletableFuture.supplyAsync(
                () -> RawHttp.get(proxy.port(), OneService.AUTHORITY, "/ok"), Async.THREAD_PER_TASK);
        assertThat(ok).succeedsWithin(PROMPT).satisfies(r -> assertThat(r.status()).isEqualTo(200));
    }

    /** Answers the probe of {@link #assertServesPromptly}; any other request it never answers. */
    private static void answerProbeElseHang(RawUpstream.Conn c) throws IOException {
        RawUpstream.Request r;
        while ((r = c.read()) != null) {
            if (!r.target().equals("/ok")) {
                c.awaitPeerClose();
                return;
            }
            c.write(RawUpstream.ok("fine"));
        }
    }
}
