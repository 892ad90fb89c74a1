package dev.meshunit.dataplane;

import static dev.meshunit.testing.Sockets.connect;
import static dev.meshunit.testing.Sockets.readAll;
import static dev.meshunit.testing.Sockets.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshunit.MeshProxy;
import dev.meshunit.downstream.DownstreamLimits;
import dev.meshunit.journal.Exchange;
import dev.meshunit.journal.ResponseFlag;
import dev.meshunit.testing.Async;
import dev.meshunit.testing.NoLeaks;
import dev.meshunit.testing.OneService;
import dev.meshunit.testing.RawHttp;
import dev.meshunit.testing.RawUpstream;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 12, findings 2, 4 and 8: Envoy's header limits (100 headers, 60 KiB of URI, names and values, the URI
 * allowed all of it), the connection limit, and the budget of bytes that unfinished heads may hold, each answered
 * as Envoy answers it, journalled and counted.
 */
@ExtendWith(NoLeaks.class)
class DownstreamLimitsTest {
    private static final Duration PROMPT = Duration.ofSeconds(10);
    private static final int LIMIT = 60 * 1024;

    @Test
    void aHundredHeadersPassAndAHundredAndOneGet431() throws IOException {
        try (RawUpstream up = RawUpstream.answering(r -> RawUpstream.ok("fine"));
             MeshProxy proxy = MeshProxy.builder().config(OneService.config(up.port())).start()) {
            assertThat(send(proxy, headers(99))).isEqualTo("HTTP/1.1 200 "); // 99 + Host
            assertRefused(proxy, headers(100), 431, ResponseFlag.DPE);
            assertThat(up.requests()).hasSize(1);
            assertThat(up.requests().get(0).headers()).hasSize(99 + 1 + 3); // x-envoy-attempt-count and the like
            assertThat(proxy.downstreamStats().rqHeadersTooLarge()).isEqualTo(1);
            assertThat(proxy.downstreamStats().cxProtocolError()).isEqualTo(1);
        }
    }

    @Test
    void tenThousandTinyHeadersAreRefusedNotForwarded() throws IOException {
        // The request: 10,000 x "a: b", 59 KB, under the byte limit, far over the count.
        String many = "a: b\r\n".repeat(10_000);
        try (RawUpstream up = RawUpstream.answering(r -> RawUpstream.ok("fine"));
             MeshProxy proxy = MeshProxy.builder().config(OneService.config(up.port())).start()) {
            assertRefused(proxy, "GET /many HTTP/1.1\r\nHost: svc:8080\r\n" + many + "\r\n", 431, ResponseFlag.DPE);
            assertThat(up.requests()).isEmpty();
        }
    }

    @Test
    void headersUpToSixtyKibPassAndOneByteMoreGets431() throws IOException {
        String start = "GET /h HTTP/1.1\r\nHost: svc:8080\r\n";
        // Envoy counts the URI, the method... as its :path and :method, and each name and value.
        int used = "/h".length() + "GET".length() + "Host".length() + "svc:8080".length() + "x-big".length();
        try (RawUpstream up = RawUpstream.answering(r -> RawUpstream.ok("fine"));
             MeshProxy proxy = MeshProxy.builder().config(OneService.config(up.port())).start()) {
            assertThat(send(proxy, start + "x-big: " + "a".repeat(LIMIT - used) + "\r\n\r\n")).startsWith("HTTP/1.1 200 ");
            assertRefused(proxy, start + "x-big: " + "a".repeat(LIMIT - used + 1) + "\r\n\r\n", 431, ResponseFlag.DPE);
        }
    }

    @Test
    void uriFromSixteenToSixtyKibIsForwardedAsEnvoyDoes() throws IOException {
        try (RawUpstream up = RawUpstream.answering(r -> RawUpstream.ok("fine"));
             MeshProxy proxy = MeshProxy.builder().config(OneService.config(up.port())).start()) {
            for (int kib : new int[] {16, 32, 59}) {
                String path = "/" + "p".repeat(kib * 1024);
                RawHttp.Response r = RawHttp.get(proxy.port(), OneService.AUTHORITY, path);
                assertThat(r.status()).as("%d KiB URI", kib).isEqualTo(200);
            }
            assertThat(up.requests()).extracting(q -> q.target().length()).containsExactly(16 * 1024 + 1, 32 * 1024 + 1, 59 * 1024 + 1);
            // Past the limit, the URI alone: 431, as Envoy counts it with the headers.
            assertRefused(proxy, "GET /" + "p".repeat(LIMIT) + " HTTP/1.1\r\nHost: svc:8080\r\n\r\n", 431, ResponseFlag.DPE);
            assertRefused(proxy, "GET /" + "p".repeat(LIMIT + 20_000) + " HTTP/1.1\r\nHost: svc:8080\r\n\r\n", 431, ResponseFlag.DPE);
        }
    }

    @Test
    void anUnfinishedHeadPastTheLimitIsRefusedBeforeItEnds() throws IOException {
        try (RawUpstream up = RawUpstream.answering(r -> RawUpstream.ok("fine"));
             MeshProxy proxy = MeshProxy.builder().config(OneService.config(up.port())).start();
             Socket s = connect(proxy)) {
            write(s, "GET /endless HTTP/1.1\r\nHost: svc:8080\r\nx-endless: " + "e".repeat(100 * 1024));
            String answer = readAll(s);
            assertThat(answer).startsWith("HTTP/1.1 431 ").containsIgnoringCase("connection: close");
        }
    }

    @Test
    void aClientStillSendingAfterTheRefusalReadsItWhole() throws Exception {
        // Envoy's delayed close: the 431 is followed by a FIN and the rest of the client's bytes are drained, so
        // the kernel has no unread bytes to answer with a RST that would destroy the 431 before it is read.
        try (RawUpstream up = RawUpstream.answering(r -> RawUpstream.ok("fine"));
             MeshProxy proxy = MeshProxy.builder().config(OneService.config(up.port())).start();
             Socket s = connect(proxy)) {
            write(s, "GET /endless HTTP/1.1\r\nHost: svc:8080\r\nx-endless: " + "e".repeat(100 * 1024));
            java.util.concurrent.CompletableFuture<Void> more = java.util.concurrent.CompletableFuture.runAsync(() -> {
                try {
                    for (int i = 0; i < 64; i++) s.getOutputStream().write(new byte[16 * 1024]);
                } catch (IOException closedMeanwhile) {
                    // the delayed close ended the connection: what was sent is enough
                }
            }, Async.THREAD_PER_TASK);
            assertThat(readAll(s)).startsWith("HTTP/1.1 431 ");
            more.get(20, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    @Test
    void limitsAreSettable() throws IOException {
        try (RawUpstream up = RawUpstream.answering(r -> RawUpstream.ok("fine"));
             MeshProxy proxy = MeshProxy.builder().config(OneService.config(up.port()))
                     .downstreamLimits(DownstreamLimits.DEFAULT.withMaxHeaders(5, 2048)).start()) {
            assertThat(send(proxy, headers(4))).startsWith("HTTP/1.1 200 ");
            assertRefused(proxy, headers(5), 431, ResponseFlag.DPE);
            assertRefused(proxy, "GET /" + "q".repeat(2048) + " HTTP/1.1\r\nHost: svc:8080\r\n\r\n", 431, ResponseFlag.DPE);
        }
    }

    @Test
    void aConnectionPastMaxConnectionsIsClosedAtAcceptAndCounted() throws IOException {
        try (RawUpstream up = RawUpstream.answering(r -> RawUpstream.ok("fine"));
             MeshProxy proxy = MeshProxy.builder().config(OneService.config(up.port()))
                     .downstreamLimits(DownstreamLimits.DEFAULT.withMaxConnections(2)).start();
             Socket a = connect(proxy); Socket b = connect(proxy)) {
            await().atMost(PROMPT).until(() -> proxy.downstreamStats().cxActive() == 2);
            try (Socket c = connect(proxy)) {
                assertThat(c.getInputStream().read()).as("closed without a word").isEqualTo(-1);
            }
            assertThat(proxy.downstreamStats().cxOverflow()).isEqualTo(1);
            write(a, "GET /a HTTP/1.1\r\nHost: svc:8080\r\nConnection: close\r\n\r\n");
            assertThat(readAll(a)).startsWith("HTTP/1.1 200 ");
            await().atMost(PROMPT).until(() -> proxy.downstreamStats().cxActive() == 1);
            assertThat(RawHttp.get(proxy.port(), OneService.AUTHORITY, "/again").status()).isEqualTo(200);
            assertThat(proxy.downstreamStats().cxTotal()).isEqualTo(4);
        }
    }

    @Test
    void unfinishedHeadsPastTheirBudgetAreRefused503OverloadedWhileCompleteRequestsStillPass() throws IOException {
        List<Socket> holders = new ArrayList<>();
        try (RawUpstream up = RawUpstream.answering(r -> RawUpstream.ok("fine"));
             MeshProxy proxy = MeshProxy.builder().config(OneService.config(up.port()))
                     .downstreamLimits(DownstreamLimits.DEFAULT.withMaxPendingHeadBytes(100_000)).start()) {
            String part = "GET /held HTTP/1.1\r\nHost: svc:8080\r\nx-held: " + "h".repeat(30_000);
            for (int i = 0; i < 3; i++) {
                Socket s = connect(proxy);
                holders.add(s);
                write(s, part);
            }
            await().atMost(PROMPT).until(() -> proxy.journal().recorded() == 0 && up.requests().isEmpty());
            // A complete request is never refused for the budget: it holds nothing once read.
            assertThat(RawHttp.get(proxy.port(), OneService.AUTHORITY, "/normal").status()).isEqualTo(200);
            Socket fourth = connect(proxy);
            holders.add(fourth);
            write(fourth, part);
            String answer = readAll(fourth);
            assertThat(answer).as("%s", proxy.downstreamStats()).startsWith("HTTP/1.1 503 ").endsWith("envoy overloaded");
            await().atMost(PROMPT).until(() -> proxy.journal().recorded() == 2);
            Exchange e = proxy.journal().select(x -> x.status() == 503).get(0);
            assertThat(e.flags()).containsExactly(ResponseFlag.OM);
            assertThat(proxy.downstreamStats().rqOverloadClose()).isEqualTo(1);
            // Once the holders go, their budget is free again.
            for (Socket s : holders) s.close();
            await().atMost(PROMPT).until(() -> proxy.downstreamStats().cxActive() == 0);
            try (Socket again = connect(proxy)) {
                write(again, part + "\r\nConnection: close\r\n\r\n");
                assertThat(readAll(again)).startsWith("HTTP/1.1 200 ");
            }
        } finally {
            for (Socket s : holders) s.close();
        }
    }

    /** {@code n} headers besides Host. */
    private static String headers(int n) {
        StringBuilder b = new StringBuilder("GET /n HTTP/1.1\r\nHost: svc:8080\r\n");
        for (int i = 0; i < n; i++) b.append("x-h").append(i).append(": v\r\n");
        return b.append("\r\n").toString();
    }

    private static String send(MeshProxy proxy, String raw) {
        try (RawHttp c = new RawHttp(proxy.port())) {
            return "HTTP/1.1 " + c.sendRaw(raw).status() + " ";
        }
    }

    private static void assertRefused(MeshProxy proxy, String raw, int status, ResponseFlag flag) throws IOException {
        long before = proxy.journal().recorded();
        try (Socket s = connect(proxy)) {
            write(s, raw);
            String answer = readAll(s);
            assertThat(answer).startsWith("HTTP/1.1 " + status + " ").containsIgnoringCase("connection: close");
        }
        await().atMost(PROMPT).until(() -> proxy.journal().recorded() == before + 1);
        List<Exchange> all = proxy.journal().exchanges();
        Exchange e = all.get(all.size() - 1);
        assertThat(e.status()).isEqualTo(status);
        assertThat(e.flags()).containsExactly(flag);
    }
}
