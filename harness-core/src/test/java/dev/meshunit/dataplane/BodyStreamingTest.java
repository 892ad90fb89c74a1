package dev.meshunit.dataplane;

import static dev.meshunit.testing.Journals.awaitExchange;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshunit.MeshProxy;
import dev.meshunit.journal.Attempt;
import dev.meshunit.journal.Exchange;
import dev.meshunit.testing.NoLeaks;
import dev.meshunit.testing.OneService;
import dev.meshunit.testing.RawHttp;
import dev.meshunit.testing.RawUpstream;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Request and response bodies pass through whole: streamed when large, replayed on retry when small. */
@ExtendWith(NoLeaks.class)
class BodyStreamingTest {
    private static final int FIVE_MB = 5 * 1024 * 1024;

    /** Printable, position-dependent bytes, so that a lost, doubled or swapped chunk shows. */
    static String pattern(int size) {
        StringBuilder b = new StringBuilder(size);
        for (int i = 0; b.length() < size; i++) b.append(Integer.toString(i, 36)).append(',');
        b.setLength(size);
        return b.toString();
    }

    static String chunked(String body, int chunkSize) {
        StringBuilder b = new StringBuilder(body.length() + body.length() / chunkSize * 8 + 16);
        for (int i = 0; i < body.length(); i += chunkSize) {
            String part = body.substring(i, Math.min(body.length(), i + chunkSize));
            b.append(Integer.toHexString(part.length())).append("\r\n").append(part).append("\r\n");
        }
        return b.append("0\r\n\r\n").toString();
    }

    @Test
    void largeChunkedUploadArrivesIntact() {
        String body = pattern(FIVE_MB);
        try (RawUpstream up = RawUpstream.answering(r -> RawUpstream.ok("got " + r.body().length));
             MeshProxy proxy = MeshProxy.builder().config(OneService.config(up.port())).start();
             RawHttp client = new RawHttp(proxy.port())) {
            RawHttp.Response r = client.sendRaw("POST /upload HTTP/1.1\r\nHost: svc:8080\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + chunked(body, 64 * 1024));
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("got " + FIVE_MB);
            assertThat(up.requests()).singleElement().satisfies(req -> {
                assertThat(req.bodyText()).isEqualTo(body);
                assertThat(req.header("transfer-encoding")).isEqualTo("chunked");
            });
            Exchange e = awaitExchange(proxy, "/upload");
            assertThat(e.status()).isEqualTo(200);
            assertThat(e.flags()).isEmpty();
            assertThat(e.attempts()).extracting(Attempt::status).containsExactly(200);
        }
    }

    @Test
    void bodyLargerThanTheRetryBufferIsNotRetried() {
        String body = pattern(64 * 1024);
        try (RawUpstream up = RawUpstream.answering(r -> "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n");
             MeshProxy proxy = MeshProxy.builder().maxBufferedBodyBytes(1024)
                     .config(OneService.config(up.port(), "retries: {attempts: 3, retryOn: 5xx}")).start();
             RawHttp client = new RawHttp(proxy.port())) {
            RawHttp.Response r = client.send("POST", OneService.AUTHORITY, "/big", body);
            assertThat(r.status()).isEqualTo(503);
            assertThat(up.requests()).singleElement().satisfies(req -> assertThat(req.bodyText()).isEqualTo(body));
            Exchange e = awaitExchange(proxy, "/big");
            assertThat(e.status()).isEqualTo(503);
            // Envoy gives up retrying once the body outgrows its buffer: no retry happened, so no URX.
            assertThat(e.flags()).isEmpty();
            assertThat(e.attempts()).extracting(Attempt::status).containsExactly(503);
        }
    }

    @Test
    void smallBodyIsReplayedIdenticallyOnRetry() {
        AtomicInteger n = new AtomicInteger();
        String body = pattern(700);
        try (RawUpstream up = RawUpstream.answering(r -> n.incrementAndGet() == 1
                     ? "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n" : RawUpstream.ok("second"));
             MeshProxy proxy = MeshProxy.builder().maxBufferedBodyBytes(1024)
                     .config(OneService.config(up.port(), "retries: {attempts: 2, retryOn: 5xx}")).start();
             RawHttp client = new RawHttp(proxy.port())) {
            RawHttp.Response r = client.sendRaw("POST /small HTTP/1.1\r\nHost: svc:8080\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + chunked(body, 100));
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("second");
            assertThat(up.requests()).hasSize(2).allSatisfy(req -> assertThat(req.bodyText()).isEqualTo(body));
            assertThat(up.requests()).extracting(req -> req.header("x-envoy-attempt-count")).containsExactly("1", "2");
            Exchange e = awaitExchange(proxy, "/small");
            assertThat(e.status()).isEqualTo(200);
            assertThat(e.flags()).isEmpty();
            assertThat(e.attempts()).extracting(Attempt::status).containsExactly(503, 200);
        }
    }

    @Test
    void anEarlyAnswerDuringAnUploadReachesTheClientAndTheConnectionStaysUsable() {
        String body = pattern(2 * 1024 * 1024);
        try (RawUpstream up = RawUpstream.start(c -> {
                 RawUpstream.Request r = c.readHead();
                 if (r.target().equals("/upload")) {
                     c.write("HTTP/1.1 413 Payload Too Large\r\nContent-Length: 8\r\nConnection: close\r\n\r\ntoo much");
                     // Closing with the body unread would send a reset, which may destroy the answer in flight.
                     c.awaitPeerClose();
                     return;
                 }
                 c.write(RawUpstream.ok("next"));
             });
             MeshProxy proxy = MeshProxy.builder().config(OneService.config(up.port())).start();
             RawHttp client = new RawHttp(proxy.port())) {
            RawHttp.Response r = client.send("POST", OneService.AUTHORITY, "/upload", body);
            assertThat(r.status()).isEqualTo(413);
            assertThat(r.body()).isEqualTo("too much");
            assertThat(client.send("GET", OneService.AUTHORITY, "/next", null).body()).isEqualTo("next");
            Exchange e = awaitExchange(proxy, "/upload");
            assertThat(e.status()).isEqualTo(413);
            assertThat(e.flags()).isEmpty();
            assertThat(e.attempts()).extracting(Attempt::status).containsExactly(413);
        }
    }

    @Test
    void expectContinueGets100ThenTheAnswerAndIsNotForwarded() {
        try (RawUpstream up = RawUpstream.answering(r -> RawUpstream.ok("got " + r.bodyText()));
             MeshProxy proxy = MeshProxy.builder().config(OneService.config(up.port())).start();
             RawHttp client = new RawHttp(proxy.port())) {
            RawHttp.Response interim = client.sendRaw(
                    "PUT /expect HTTP/1.1\r\nHost: svc:8080\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
            assertThat(interim.status()).isEqualTo(100);
            client.write("hello");
            RawHttp.Response r = client.readResponse(false);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("got hello");
            assertThat(up.requests()).singleElement().satisfies(req -> {
                assertThat(req.header("expect")).isNull();
                assertThat(req.bodyText()).isEqualTo("hello");
            });
            Exchange e = awaitExchange(proxy, "/expect");
            assertThat(e.status()).isEqualTo(200);
            assertThat(e.flags()).isEmpty();
        }
    }

    @Test
    void largeChunkedResponseStreamsBackIntact() {
        String body = pattern(FIVE_MB);
        String response = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked(body, 16 * 1024);
        try (RawUpstream up = RawUpstream.answering(r -> response);
             MeshProxy proxy = MeshProxy.builder().config(OneService.config(up.port())).start();
             RawHttp client = new RawHttp(proxy.port())) {
            RawHttp.Response r = client.send("GET", OneService.AUTHORITY, "/download", null);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("transfer-encoding")).isEqualTo("chunked");
            assertThat(r.body()).isEqualTo(body);
            Exchange e = awaitExchange(proxy, "/download");
            assertThat(e.status()).isEqualTo(200);
            assertThat(e.flags()).isEmpty();
        }
    }

    @Test
    void headAnswerHasNoBodyAndTheConnectionStaysUsable() {
        try (RawUpstream up = RawUpstream.answering(r -> r.method().equals("HEAD")
                     ? "HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n" : RawUpstream.ok("after"));
             MeshProxy proxy = MeshProxy.builder().config(OneService.config(up.port())).start();
             RawHttp client = new RawHttp(proxy.port())) {
            client.write("HEAD /head HTTP/1.1\r\nHost: svc:8080\r\n\r\n");
            RawHttp.Response head = client.readResponse(true);
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("content-length")).isEqualTo("1234");
            RawHttp.Response next = client.send("GET", OneService.AUTHORITY, "/after", null);
            assertThat(next.body()).isEqualTo("after");
            assertThat(up.requests()).extracting(RawUpstream.Request::method).containsExactly("HEAD", "GET");
            assertThat(up.connections()).isEqualTo(1);
            Exchange e = awaitExchange(proxy, "/head");
            assertThat(e.method()).isEqualTo("HEAD");
            assertThat(e.status()).isEqualTo(200);
            assertThat(e.flags()).isEmpty();
        }
    }

    @Test
    void noContentAndNotModifiedCarryNoBody() {
        try (RawUpstream up = RawUpstream.answering(r -> switch (r.target()) {
                     case "/204" -> "HTTP/1.1 204 No Content\r\n\r\n";
                     case "/304" -> "HTTP/1.1 304 Not Modified\r\nETag: \"v1\"\r\n\r\n";
                     default -> RawUpstream.ok("after");
                 });
             MeshProxy proxy = MeshProxy.builder().config(OneService.config(up.port())).start();
             RawHttp client = new RawHttp(proxy.port())) {
            RawHttp.Response noContent = client.send("GET", OneService.AUTHORITY, "/204", null);
            assertThat(noContent.status()).isEqualTo(204);
            assertThat(noContent.header("transfer-encoding")).isNull();
            RawHttp.Response notModified = client.send("GET", OneService.AUTHORITY, "/304", null, "If-None-Match: \"v1\"");
            assertThat(notModified.status()).isEqualTo(304);
            assertThat(notModified.header("etag")).isEqualTo("\"v1\"");
            assertThat(notModified.header("transfer-encoding")).isNull();
            // Had either carried a body, this answer would be read out of step.
            assertThat(client.send("GET", OneService.AUTHORITY, "/after", null).body()).isEqualTo("after");
            assertThat(up.connections()).isEqualTo(1);
            assertThat(awaitExchange(proxy, "/204").status()).isEqualTo(204);
            assertThat(awaitExchange(proxy, "/304").status()).isEqualTo(304);
        }
    }

}
