package dev.meshunit.http2;

import static dev.meshunit.testing.Journals.awaitExchange;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshunit.MeshProxy;
import dev.meshunit.journal.Exchange;
import dev.meshunit.journal.ResponseFlag;
import dev.meshunit.testing.NoLeaks;
import dev.meshunit.testing.OneService;
import dev.meshunit.testing.RawHttp;
import dev.meshunit.testing.TestBackend;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The JDK's HttpClient in HTTP/2 mode on an http:// URL: it opens with HTTP/1.1 and {@code Upgrade: h2c}; the
 * proxy answers 101, the request becomes stream 1 of an HTTP/2 connection, and what follows on that
 * connection is HTTP/2. Routed (here on the service's own listener, as the JDK will not send another Host) and
 * journalled as HTTP/2.
 */
@ExtendWith(NoLeaks.class)
class H2cUpgradeTest {
    private static HttpClient http2() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).connectTimeout(Duration.ofSeconds(10)).build();
    }

    private static HttpRequest.Builder to(int port, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(20));
    }

    @Test
    void theUpgradeRequestIsAnsweredOnStreamOneAndTheConnectionGoesOnInHttp2() throws Exception {
        try (TestBackend backend = TestBackend.named("svc");
             MeshProxy proxy = MeshProxy.builder().config(OneService.config(backend.port()))
                     .listenerPerService(true).start()) {
            int port = proxy.serviceAddress("svc").getPort();
            HttpClient client = http2();
            HttpResponse<String> first = client.send(to(port, "/first").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(first.statusCode()).isEqualTo(200);
            assertThat(first.body()).isEqualTo("svc");
            assertThat(first.version()).isEqualTo(HttpClient.Version.HTTP_2);
            HttpResponse<String> second = client.send(to(port, "/second").POST(HttpRequest.BodyPublishers.ofString("x".repeat(5000)))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(second.statusCode()).isEqualTo(200);
            assertThat(second.version()).isEqualTo(HttpClient.Version.HTTP_2);

            Exchange upgraded = awaitExchange(proxy, "/first");
            assertThat(upgraded.protocol()).isEqualTo("HTTP/2");
            assertThat(upgraded.streamId()).isEqualTo(1);
            assertThat(upgraded.authority()).isEqualTo(OneService.AUTHORITY);
            assertThat(upgraded.route().virtualService()).isEqualTo("svc");
            Exchange next = awaitExchange(proxy, "/second");
            assertThat(next.protocol()).isEqualTo("HTTP/2");
            assertThat(next.streamId()).isEqualTo(3);
            // Upstream the request is plain HTTP/1.1: no trace of the upgrade.
            TestBackend.Received r = backend.received().get(0);
            assertThat(r.header("upgrade")).isNull();
            assertThat(r.header("http2-settings")).isNull();
            assertThat(backend.received().get(1).body()).hasSize(5000);
        }
    }

    @Test
    void faultsAndUnknownRoutesAnswerOnTheUpgradedStream() throws Exception {
        try (TestBackend backend = TestBackend.named("svc");
             MeshProxy proxy = MeshProxy.builder().config(OneService.config(backend.port(),
                     "fault: {abort: {httpStatus: 503, percentage: {value: 100}}}")).listenerPerService(true).start()) {
            int port = proxy.serviceAddress("svc").getPort();
            HttpResponse<String> aborted = http2().send(to(port, "/abort").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(aborted.statusCode()).isEqualTo(503);
            assertThat(aborted.version()).isEqualTo(HttpClient.Version.HTTP_2);
            Exchange e = awaitExchange(proxy, "/abort");
            assertThat(e.flags()).contains(ResponseFlag.FI);
            assertThat(e.protocol()).isEqualTo("HTTP/2");
            assertThat(e.streamId()).isEqualTo(1);
            assertThat(backend.count()).isZero();
        }
    }

    @Test
    void anH2cUpgradeWithoutHttp2SettingsIsServedInHttp1AndOtherUpgradesAreRefused() throws Exception {
        try (TestBackend backend = TestBackend.named("svc");
             MeshProxy proxy = MeshProxy.builder().config(OneService.config(backend.port())).start();
             RawHttp raw = new RawHttp(proxy.port())) {
            // RFC 7540: an h2c upgrade carries exactly one HTTP2-Settings; without it the request is served as
            // HTTP/1.1, its upgrade dropped, as Envoy's codec drops every h2c upgrade.
            RawHttp.Response plain = raw.send("GET", OneService.AUTHORITY, "/no-settings", null,
                    "Upgrade: h2c", "Connection: Upgrade");
            assertThat(plain.status()).isEqualTo(200);
            assertThat(awaitExchange(proxy, "/no-settings").protocol()).isEqualTo("HTTP/1.1");
            assertThat(backend.received().get(0).header("upgrade")).isNull();
            // An upgrade Istio configures no upgrade_configs for: Envoy's 403 (upgrade_failed), nothing upstream.
            RawHttp.Response other = raw.send("GET", OneService.AUTHORITY, "/tls-upgrade", null,
                    "Upgrade: TLS/1.2", "Connection: Upgrade");
            assertThat(other.status()).isEqualTo(403);
            assertThat(other.header("connection")).isEqualToIgnoringCase("close"); // as Envoy, nothing more is read
            assertThat(awaitExchange(proxy, "/tls-upgrade").attempts()).isEmpty();
            assertThat(backend.count()).isEqualTo(1);
        }
    }
    @Test
    void onlyAConnectionsFirstRequestMayUpgradeToH2c() throws Exception {
        try (TestBackend backend = TestBackend.named("svc");
             MeshProxy proxy = MeshProxy.builder().config(OneService.config(backend.port())).start();
             RawHttp raw = new RawHttp(proxy.port())) {
            assertThat(raw.send("GET", OneService.AUTHORITY, "/first", null).status()).isEqualTo(200);
            // A complete h2c upgrade request, second on its connection: served in HTTP/1.1, the upgrade dropped.
            RawHttp.Response second = raw.send("GET", OneService.AUTHORITY, "/second", null,
                    "Upgrade: h2c", "HTTP2-Settings: AAMAAABkAAQAoAAAAAIAAAAA", "Connection: Upgrade, HTTP2-Settings");
            assertThat(second.status()).isEqualTo(200);
            assertThat(awaitExchange(proxy, "/second").protocol()).isEqualTo("HTTP/1.1");
            assertThat(backend.received().get(1).header("upgrade")).isNull();
            assertThat(raw.send("GET", OneService.AUTHORITY, "/third", null).status()).isEqualTo(200);
        }
    }
}
