package dev.meshunit.dataplane;

import static dev.meshunit.testing.Journals.awaitExchange;
import static dev.meshunit.testing.Sockets.connect;
import static dev.meshunit.testing.Sockets.readAll;
import static dev.meshunit.testing.Sockets.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshunit.MeshProxy;
import dev.meshunit.journal.Exchange;
import dev.meshunit.testing.NoLeaks;
import dev.meshunit.testing.OneService;
import dev.meshunit.testing.RawHttp;
import dev.meshunit.testing.RawUpstream;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Connections downstream and upstream are kept and reused as HTTP/1.1 says, and closed when asked. */
@ExtendWith(NoLeaks.class)
class KeepAliveTest {
    private static RawUpstream echoingPath() {
        return RawUpstream.answering(r -> RawUpstream.ok(r.target()));
    }

    @Test
    void manyRequestsOnOneConnectionReuseOneUpstreamConnection() {
        try (RawUpstream up = echoingPath();
             MeshProxy proxy = MeshProxy.builder().config(OneService.config(up.port())).start();
             RawHttp client = new RawHttp(proxy.port())) {
            for (int i = 0; i < 50; i++) {
                RawHttp.Response r = client.send("GET", OneService.AUTHORITY, "/n" + i, null);
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.body()).isEqualTo("/n" + i);
            }
            assertThat(up.requests()).hasSize(50);
            assertThat(up.connections()).isEqualTo(1);
            assertThat(awaitExchange(proxy, "/n49").status()).isEqualTo(200);
            assertThat(proxy.journal().exchanges()).hasSize(50).allSatisfy(e -> {
                assertThat(e.status()).isEqualTo(200);
                assertThat(e.attempts()).hasSize(1);
            });
        }
    }

    @Test
    void anUpstreamConnectionClosedWhileIdleIsNotReused() {
        try (RawUpstream up = RawUpstream.start(c -> {
                 RawUpstream.Request r = c.read();
                 c.write(RawUpstream.ok(r.target()));
             });
             MeshProxy proxy = MeshProxy.builder().config(OneService.config(up.port())).start();
             RawHttp client = new RawHttp(proxy.port())) {
            assertThat(client.send("GET", OneService.AUTHORITY, "/one", null).body()).isEqualTo("/one");
            await().atMost(Duration.ofSeconds(5)).until(() -> up.openConnections() == 0);
            assertThat(client.send("GET", OneService.AUTHORITY, "/two", null).body()).isEqualTo("/two");
            assertThat(up.connections()).isEqualTo(2);
            Exchange e = awaitExchange(proxy, "/two");
            assertThat(e.flags()).isEmpty();
            assertThat(e.attempts()).hasSize(1);
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() {
        try (RawUpstream up = echoingPath();
             MeshProxy proxy = MeshProxy.builder().config(OneService.config(up.port())).start();
             RawHttp client = new RawHttp(proxy.port())) {
            client.write("GET /first HTTP/1.1\r\nHost: svc:8080\r\n\r\n"
                    + "POST /second HTTP/1.1\r\nHost: svc:8080\r\nContent-Length: 4\r\n\r\nbody"
                    + "GET /third HTTP/1.1\r\nHost: svc:8080\r\n\r\n");
            assertThat(client.readResponse(false).body()).isEqualTo("/first");
            assertThat(client.readResponse(false).body()).isEqualTo("/second");
            assertThat(client.readResponse(false).body()).isEqualTo("/third");
            assertThat(up.requests()).extracting(RawUpstream.Request::target).containsExactly("/first", "/second", "/third");
            assertThat(up.requests().get(1).bodyText()).isEqualTo("body");
            assertThat(awaitExchange(proxy, "/third").status()).isEqualTo(200);
        }
    }

    @Test
    void pipelinedLocalRepliesAndProxiedAnswersKeepTheirOrder() {
        try (RawUpstream up = echoingPath();
             MeshProxy proxy = MeshProxy.builder().config(OneService.config(up.port())).start();
             RawHttp client = new RawHttp(proxy.port())) {
            client.write("POST /nowhere HTTP/1.1\r\nHost: nothere\r\nContent-Length: 5\r\n\r\nhello"
                    + "GET /here HTTP/1.1\r\nHost: svc:8080\r\n\r\n"
                    + "GET /nowhere-either HTTP/1.1\r\nHost: nothere\r\n\r\n");
            assertThat(client.readResponse(false).status()).isEqualTo(404);
            assertThat(client.readResponse(false).body()).isEqualTo("/here");
            assertThat(client.readResponse(false).status()).isEqualTo(404);
            assertThat(up.requests()).extracting(RawUpstream.Request::target).containsExactly("/here");
        }
    }

    @Test
    void aLargeBodyAfterALocalReplyIsDrainedAndTheConnectionStaysUsable() {
        String body = "y".repeat(256 * 1024);
        try (RawUpstream up = echoingPath();
             MeshProxy proxy = MeshProxy.builder().maxBufferedBodyBytes(1024).config(OneService.config(up.port())).start();
             RawHttp client = new RawHttp(proxy.port())) {
            assertThat(client.send("POST", "nothere", "/big", body).status()).isEqualTo(404);
            assertThat(client.send("GET", OneService.AUTHORITY, "/next", null).body()).isEqualTo("/next");
            assertThat(up.requests()).extracting(RawUpstream.Request::target).containsExactly("/next");
        }
    }

    @Test
    void connectionCloseFromTheClientClosesAfterTheAnswer() throws IOException {
        try (RawUpstream up = echoingPath();
             MeshProxy proxy = MeshProxy.builder().config(OneService.config(up.port())).start();
             Socket s = connect(proxy)) {
            write(s, "GET /bye HTTP/1.1\r\nHost: svc:8080\r\nConnection: close\r\n\r\n");
            String got = readAll(s);
            assertThat(got).startsWith("HTTP/1.1 200 ").containsIgnoringCase("connection: close").endsWith("/bye");
            assertThat(up.requests()).singleElement()
                    .satisfies(r -> assertThat(r.header("connection")).isNull());
            Exchange e = awaitExchange(proxy, "/bye");
            assertThat(e.status()).isEqualTo(200);
            assertThat(e.flags()).isEmpty();
        }
    }

    @Test
    void http10RequestIsAnsweredAndClosed() throws IOException {
        String chunkedBody = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n";
        try (RawUpstream up = RawUpstream.answering(r -> chunkedBody);
             MeshProxy proxy = MeshProxy.builder().config(OneService.config(up.port())).start();
             Socket s = connect(proxy)) {
            write(s, "GET /old HTTP/1.0\r\nHost: svc:8080\r\n\r\n");
            String got = readAll(s);
            // An HTTP/1.0 client knows no chunked encoding: the body ends with the connection.
            assertThat(got).startsWith("HTTP/1.0 200 ").doesNotContainIgnoringCase("transfer-encoding").endsWith("\r\n\r\nhello world");
            assertThat(up.requests()).singleElement().satisfies(r -> assertThat(r.version()).isEqualTo("HTTP/1.1"));
            Exchange e = awaitExchange(proxy, "/old");
            assertThat(e.status()).isEqualTo(200);
            assertThat(e.flags()).isEmpty();
        }
    }

    @Test
    void bodyEndedByTheUpstreamClosingIsChunkedForAnHttp11Client() {
        try (RawUpstream up = RawUpstream.start(c -> {
                 c.read();
                 c.write("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil the end");
             });
             MeshProxy proxy = MeshProxy.builder().config(OneService.config(up.port())).start();
             RawHttp client = new RawHttp(proxy.port())) {
            for (String path : new String[] {"/a", "/b"}) {
                RawHttp.Response r = client.send("GET", OneService.AUTHORITY, path, null);
                assertThat(r.header("transfer-encoding")).isEqualTo("chunked");
                assertThat(r.body()).isEqualTo("until the end");
                Exchange e = awaitExchange(proxy, path);
                assertThat(e.status()).isEqualTo(200);
                assertThat(e.flags()).isEmpty();
            }
            assertThat(up.connections()).isEqualTo(2);
        }
    }

    @Test
    void http10KeepAliveServesSeveralRequests() {
        try (RawUpstream up = echoingPath();
             MeshProxy proxy = MeshProxy.builder().config(OneService.config(up.port())).start();
             RawHttp client = new RawHttp(proxy.port())) {
            for (String path : new String[] {"/a", "/b"}) {
                RawHttp.Response r = client.sendRaw("GET " + path + " HTTP/1.0\r\nHost: svc:8080\r\nConnection: keep-alive\r\n\r\n");
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.header("connection")).isEqualToIgnoringCase("keep-alive");
                assertThat(r.body()).isEqualTo(path);
            }
            assertThat(up.connections()).isEqualTo(1);
        }
    }
}
