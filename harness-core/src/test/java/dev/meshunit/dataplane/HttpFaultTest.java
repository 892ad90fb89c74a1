package dev.meshunit.dataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshunit.MeshProxy;
import dev.meshunit.fault.Fault;
import dev.meshunit.journal.Exchange;
import dev.meshunit.journal.InjectedFault;
import dev.meshunit.journal.ResponseFlag;
import dev.meshunit.testing.OneService;
import dev.meshunit.testing.TestBackend;
import java.io.IOException;
import java.net.ProtocolException;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.SocketException;
import java.time.Duration;
import java.util.List;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * HTTP-level faults as real clients see them: the JDK HttpClient and OkHttp, through the proxy as their HTTP
 * proxy, each fail the way they fail against a broken server; the journal marks each fault by name.
 */
class HttpFaultTest {
    private static final String URL = "http://" + OneService.AUTHORITY + "/f";
    private final TestBackend svc = TestBackend.named("svc");
    private MeshProxy proxy;

    @AfterEach
    void stop() {
        if (proxy != null) proxy.close();
        svc.close();
    }

    private void inject(Fault fault) {
        proxy = MeshProxy.builder().config(OneService.config(svc.port())).ioThreads(1).start();
        proxy.faults().inject("svc", fault);
    }

    private String jdk() throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .proxy(ProxySelector.of(proxy.address())).build();
        return client.send(HttpRequest.newBuilder(URI.create(URL)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private String okhttp() throws Exception {
        OkHttpClient client = new OkHttpClient.Builder().proxy(new Proxy(Proxy.Type.HTTP, proxy.address()))
                .callTimeout(Duration.ofSeconds(10)).build();
        try (Response r = client.newCall(new Request.Builder().url(URL).build()).execute()) {
            return r.body().string();
        }
    }

    /** Every exchange (the JDK client retries an idempotent request once after some of these) is marked. */
    private static Throwable show(Throwable t) { System.out.println("ERR " + t); return t; }

    private Exchange journalled(String marker, ResponseFlag... flags) {
        List<Exchange> all = proxy.journal().exchanges();
        assertThat(all).hasSizeGreaterThanOrEqualTo(2).allSatisfy(e -> {
            assertThat(e.fault().http()).isEqualTo(marker);
            assertThat(e.flags()).containsExactlyInAnyOrder(flags);
            assertThat(e.attempts()).isEmpty();
        });
        assertThat(svc.count()).isZero();
        return all.get(0);
    }

    @Test
    void resetBeforeTheAnswer() {
        inject(new Fault.ResetBeforeAnswer());
        assertThatThrownBy(this::jdk).hasMessage("HTTP/1.1 header parser received no bytes")
                .hasRootCauseInstanceOf(SocketException.class).hasRootCauseMessage("Connection reset");
        assertThatThrownBy(this::okhttp).isExactlyInstanceOf(SocketException.class).hasMessage("Connection reset");
        assertThat(journalled("reset_before_answer", ResponseFlag.FI, ResponseFlag.LR).status()).isZero();
    }

    @Test
    void resetAfterTheHeaders() {
        inject(new Fault.ResetAfterHeaders(200));
        assertThatThrownBy(this::jdk).hasMessage("fixed content-length: 1024, bytes received: 0")
                .hasRootCauseInstanceOf(SocketException.class).hasRootCauseMessage("Connection reset");
        assertThatThrownBy(this::okhttp).isExactlyInstanceOf(SocketException.class).hasMessage("Connection reset");
        assertThat(journalled("reset_after_headers", ResponseFlag.FI, ResponseFlag.LR).status()).isEqualTo(200);
    }

    @Test
    void emptyResponse() {
        inject(new Fault.EmptyResponse());
        assertThatThrownBy(this::jdk).hasMessage("HTTP/1.1 header parser received no bytes")
                .hasRootCauseInstanceOf(java.io.EOFException.class);
        assertThatThrownBy(this::okhttp).isExactlyInstanceOf(IOException.class)
                .hasMessageStartingWith("unexpected end of stream on http://svc:8080/");
        assertThat(journalled("empty_response", ResponseFlag.FI).status()).isZero();
    }

    @Test
    void malformedStatusLine() {
        inject(new Fault.MalformedStatusLine());
        assertThatThrownBy(this::jdk).isInstanceOf(ProtocolException.class)
                .hasMessage("Invalid status line: \"HTTP/1.1 OK-ish not-a-status\"");
        assertThatThrownBy(this::okhttp).isInstanceOf(ProtocolException.class)
                .hasMessage("Unexpected status line: HTTP/1.1 OK-ish not-a-status");
        journalled("malformed_status_line", ResponseFlag.FI);
    }

    @Test
    void truncatedBody() {
        inject(new Fault.TruncatedBody(100, 40));
        assertThatThrownBy(this::jdk).hasMessage("fixed content-length: 100, bytes received: 40")
                .hasRootCauseInstanceOf(java.io.EOFException.class);
        assertThatThrownBy(this::okhttp).isInstanceOf(ProtocolException.class).hasMessage("unexpected end of stream");
        assertThat(journalled("truncated_body", ResponseFlag.FI).status()).isEqualTo(200);
    }
}
