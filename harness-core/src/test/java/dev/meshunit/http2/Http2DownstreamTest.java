package dev.meshunit.http2;

import static dev.meshunit.testing.Journals.awaitExchange;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshunit.MeshProxy;
import dev.meshunit.journal.Exchange;
import dev.meshunit.journal.ResponseFlag;
import dev.meshunit.testing.Async;
import dev.meshunit.testing.NoLeaks;
import dev.meshunit.testing.OneService;
import dev.meshunit.testing.RawHttp;
import dev.meshunit.testing.TestBackend;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import okhttp3.Call;
import okhttp3.MediaType;
import okhttp3.Protocol;
import okhttp3.RequestBody;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * HTTP/2 clients (h2c with prior knowledge) on the proxy's listeners, told apart from HTTP/1.1 per connection
 * as Envoy's codec_type AUTO does; the upstream stays HTTP/1.1.
 */
@ExtendWith(NoLeaks.class)
class Http2DownstreamTest {
    @Test
    void manyStreamsOnOneConnectionAreRoutedByAuthorityAndJournalledWithTheirStreamIds() {
        try (TestBackend backend = TestBackend.named("svc");
             MeshProxy proxy = MeshProxy.builder().config(OneService.config(backend.port())).start();
             H2Clients h2 = new H2Clients(proxy.port())) {
            List<CompletableFuture<H2Clients.Answer>> calls = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String path = "/s" + i;
                calls.add(CompletableFuture.supplyAsync(() -> h2.get(OneService.AUTHORITY, path),
                        Async.THREAD_PER_TASK));
            }
            for (CompletableFuture<H2Clients.Answer> c : calls) {
                H2Clients.Answer a = c.join();
                assertThat(a.status()).isEqualTo(200);
                assertThat(a.body()).isEqualTo("svc");
                assertThat(a.protocol()).isEqualTo(Protocol.H2_PRIOR_KNOWLEDGE);
            }
            assertThat(h2.client.connectionPool().connectionCount()).isEqualTo(1);
            await().atMost(Duration.ofSeconds(10)).until(() -> proxy.journal().exchanges().size() == 20);
            List<Exchange> all = proxy.journal().exchanges();
            assertThat(all).allSatisfy(e -> {
                assertThat(e.protocol()).isEqualTo("HTTP/2");
                assertThat(e.authority()).isEqualTo(OneService.AUTHORITY);
                assertThat(e.status()).isEqualTo(200);
                assertThat(e.streamId() % 2).isEqualTo(1);
            });
            assertThat(all.stream().map(Exchange::streamId).collect(Collectors.toSet())).hasSize(20);
            assertThat(backend.received()).allSatisfy(r -> assertThat(r.header("host")).isEqualTo(OneService.AUTHORITY));
        }
    }

    @Test
    void aRequestBodyGoesUpstreamOverHttp1AndTheAnswerComesBackOnItsStream() {
        try (TestBackend backend = TestBackend.scripted("svc", n -> new TestBackend.Reply(200, "got it", 0,
                     java.util.Map.of("x-echo", "yes")));
             MeshProxy proxy = MeshProxy.builder().config(OneService.config(backend.port())).start();
             H2Clients h2 = new H2Clients(proxy.port())) {
            H2Clients.Answer a = h2.call(h2.to(OneService.AUTHORITY, "/post")
                    .post(RequestBody.create("x".repeat(100_000), MediaType.get("text/plain"))).build(), "x-echo");
            assertThat(a.status()).isEqualTo(200);
            assertThat(a.body()).isEqualTo("got it");
            assertThat(a.header()).isEqualTo("yes");
            assertThat(backend.received().get(0).body()).hasSize(100_000);
            assertThat(awaitExchange(proxy, "/post").method()).isEqualTo("POST");
        }
    }

    @Test
    void localRepliesFaultsAndUnknownHostsAnswerOnTheStream() {
        try (TestBackend backend = TestBackend.named("svc");
             MeshProxy proxy = MeshProxy.builder().config(OneService.config(backend.port(),
                     "fault: {abort: {httpStatus: 503, percentage: {value: 100}}}")).start();
             H2Clients h2 = new H2Clients(proxy.port())) {
            H2Clients.Answer aborted = h2.get(OneService.AUTHORITY, "/abort");
            assertThat(aborted.status()).isEqualTo(503);
            assertThat(aborted.body()).isEqualTo("fault filter abort");
            assertThat(awaitExchange(proxy, "/abort").flags()).contains(ResponseFlag.FI);
            H2Clients.Answer none = h2.get("nothere:80", "/none");
            assertThat(none.status()).isEqualTo(404);
            Exchange nr = awaitExchange(proxy, "/none");
            assertThat(nr.flags()).contains(ResponseFlag.NR);
            assertThat(nr.protocol()).isEqualTo("HTTP/2");
            assertThat(backend.count()).isZero();
        }
    }

    @Test
    void perServiceListenersSpeakHttp2AndHttp1() {
        try (TestBackend backend = TestBackend.named("svc");
             MeshProxy proxy = MeshProxy.builder().config(OneService.config(backend.port()))
                     .listenerPerService(true).start()) {
            InetSocketAddress svc = proxy.serviceAddress("svc");
            try (H2Clients h2 = new H2Clients(svc.getPort())) {
                H2Clients.Answer a = h2.get("anything", "/h2");
                assertThat(a.status()).isEqualTo(200);
                assertThat(a.protocol()).isEqualTo(Protocol.H2_PRIOR_KNOWLEDGE);
            }
            try (RawHttp h1 = new RawHttp(svc.getPort())) {
                assertThat(h1.send("GET", "anything", "/h1", null).status()).isEqualTo(200);
            }
            assertThat(awaitExchange(proxy, "/h2").protocol()).isEqualTo("HTTP/2");
            assertThat(awaitExchange(proxy, "/h1").protocol()).isEqualTo("HTTP/1.1");
        }
    }

    @Test
    void aStreamResetByTheClientIsJournalledAsDownstreamGone() throws Exception {
        try (TestBackend backend = TestBackend.scripted("svc", n -> TestBackend.Reply.ok("late").delayed(3000));
             MeshProxy proxy = MeshProxy.builder().config(OneService.config(backend.port())).start();
             H2Clients h2 = new H2Clients(proxy.port())) {
            Call call = h2.client.newCall(h2.to(OneService.AUTHORITY, "/cancelled").build());
            CompletableFuture<Void> running = CompletableFuture.runAsync(() -> {
                try {
                    call.execute().close();
                } catch (IOException expected) {
                    // the cancel
                }
            }, Async.THREAD_PER_TASK);
            await().atMost(Duration.ofSeconds(10)).until(() -> backend.count() == 1);
            call.cancel();
            running.join();
            Exchange e = awaitExchange(proxy, "/cancelled");
            assertThat(e.flags()).contains(ResponseFlag.DC);
            // The connection and its other streams live on.
            assertThat(h2.get(OneService.AUTHORITY, "/after").status()).isEqualTo(200);
        }
    }

    @Test
    void aHeaderListOverSixtyKibIsRefusedWithoutHarmingTheConnection() {
        try (TestBackend backend = TestBackend.named("svc");
             MeshProxy proxy = MeshProxy.builder().config(OneService.config(backend.port())).start();
             H2Clients h2 = new H2Clients(proxy.port())) {
            H2Clients.Answer big = h2.call(h2.to(OneService.AUTHORITY, "/big")
                    .header("x-big", "b".repeat(70 * 1024)).build(), "x-backend");
            assertThat(big.status()).isEqualTo(431);
            assertThat(h2.get(OneService.AUTHORITY, "/small").status()).isEqualTo(200);
            assertThat(backend.count()).isEqualTo(1);
        }
    }

    @Test
    void garbageAfterThePrefaceGetsAGoawayAndTheProxyServesOn() throws IOException {
        try (TestBackend backend = TestBackend.named("svc");
             MeshProxy proxy = MeshProxy.builder().config(OneService.config(backend.port())).start()) {
            try (Socket s = new Socket("127.0.0.1", proxy.port())) {
                s.setSoTimeout(10_000);
                OutputStream out = s.getOutputStream();
                out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                // A DATA frame on stream 0 where SETTINGS must come first: a connection error.
                out.write(new byte[] {0, 0, 4, 0, 0, 0, 0, 0, 0, 'j', 'u', 'n', 'k'});
                out.flush();
                InputStream in = s.getInputStream();
                boolean goaway = false;
                byte[] head = new byte[9];
                while (readFully(in, head)) {
                    int length = (head[0] & 0xff) << 16 | (head[1] & 0xff) << 8 | head[2] & 0xff;
                    goaway |= head[3] == 0x7;
                    if (in.readNBytes(length).length < length) break;
                }
                assertThat(goaway).as("a GOAWAY frame before the close").isTrue();
            }
            try (H2Clients h2 = new H2Clients(proxy.port())) {
                assertThat(h2.get(OneService.AUTHORITY, "/fine").status()).isEqualTo(200);
            }
        }
    }

    private static boolean readFully(InputStream in, byte[] b) throws IOException {
        return in.readNBytes(b, 0, b.length) == b.length;
    }
}
