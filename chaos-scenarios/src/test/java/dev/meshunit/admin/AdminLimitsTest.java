package dev.meshunit.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshunit.MeshProxy;
import dev.meshunit.config.load.ConfigLoader;
import dev.meshunit.testing.Async;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, finding 7: the admin API parses config on a worker, never on its event loop, refuses bodies past its
 * cap with 413, and refuses hostile YAML within the loader's caps.
 */
class AdminLimitsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private HttpResponse<String> post(AdminServer admin, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin.port() + path))
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aBodyPastTheCapIsAnswered413AndTheServerGoesOn() throws Exception {
        try (MeshProxy proxy = MeshProxy.builder().start();
             AdminServer admin = AdminServer.builder(proxy).maxBodyBytes(64 * 1024).start()) {
            HttpResponse<String> refused = post(admin, "/config", "a: " + "b".repeat(100 * 1024));
            assertThat(refused.statusCode()).isEqualTo(413);
            assertThat(JSON.readTree(refused.body()).get("error").asText()).isEqualTo("request body over 65536 bytes"
                    + " (AdminServer.Builder.maxBodyBytes)");
            assertThat(post(admin, "/journal/reset", "").statusCode()).isEqualTo(204);
        }
    }

    @Test
    void aClientStillSendingTheBodyReadsThe413WholeAndCanFinishSending() throws Exception {
        // The 413 is followed by a FIN and the rest of the body is read and dropped. Closing at once, with the body's
        // rest unread, made the kernel reset the connection: the writes below failed, and a JDK client could lose
        // the 413 itself (CI, stop 21: "header parser received no bytes").
        try (MeshProxy proxy = MeshProxy.builder().start();
             AdminServer admin = AdminServer.builder(proxy).maxBodyBytes(64 * 1024).start();
             Socket s = new Socket("127.0.0.1", admin.port())) {
            s.setSoTimeout(20_000);
            int length = 192 * 1024; // 128 KiB before the 413, 64 KiB after it
            OutputStream out = s.getOutputStream();
            out.write(("POST /config HTTP/1.1\r\nHost: admin\r\nContent-Length: " + length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[16 * 1024];
            for (int i = 0; i < 8; i++) out.write(chunk);
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII); // until the FIN
            assertThat(answer).startsWith("HTTP/1.1 413 ").contains("request body over 65536 bytes");
            // The server drains for 1 s (Envoy's delayed_close_timeout); 64 KiB over loopback take milliseconds.
            for (int i = 8; i < length / chunk.length; i++) out.write(chunk);
            out.flush();
            s.shutdownOutput();
        }
    }

    @Test
    void theDefaultCapIsFourMebibytes() throws Exception {
        try (MeshProxy proxy = MeshProxy.builder().start(); AdminServer admin = AdminServer.builder(proxy).start()) {
            assertThat(post(admin, "/config", "#".repeat(AdminServer.DEFAULT_MAX_BODY_BYTES + 1)).statusCode()).isEqualTo(413);
        }
    }

    @Test
    void configIsParsedOffTheEventLoop() throws Exception {
        CountDownLatch parsing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (MeshProxy proxy = MeshProxy.builder().start();
             AdminServer admin = AdminServer.builder(proxy).maxBodyBytes(1024).configLoader(yaml -> {
                 parsing.countDown();
                 try {
                     release.await(30, TimeUnit.SECONDS);
                 } catch (InterruptedException e) {
                     Thread.currentThread().interrupt();
                 }
                 return ConfigLoader.create().loadString(AdminServer.BODY_NAME, yaml);
             }).start()) {
            CompletableFuture<HttpResponse<String>> slow = CompletableFuture.supplyAsync(() -> {
                try {
                    return post(admin, "/config", "kind: VirtualService\n");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, Async.THREAD_PER_TASK);
            assertThat(parsing.await(30, TimeUnit.SECONDS)).isTrue();
            // The event loop still reads and answers what it can answer alone while the worker parses.
            assertThat(post(admin, "/config", "x".repeat(2048)).statusCode()).isEqualTo(413);
            assertThat(slow).isNotDone();
            release.countDown();
            assertThat(slow.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(400);
        }
    }

    @Test
    void hostileYamlIsRefusedQuicklyNamingTheCap() throws Exception {
        try (MeshProxy proxy = MeshProxy.builder().start(); AdminServer admin = AdminServer.builder(proxy).start()) {
            long start = System.nanoTime();
            HttpResponse<String> r = post(admin, "/config", "kind: VirtualService\nmetadata: {name: \""
                    + "a".repeat(3 * 1024 * 1024) + "\"}\n");
            // Before the caps this took seconds on the event loop (4 MiB: 8.9 s); the bound is generous.
            assertThat((System.nanoTime() - start) / 1_000_000).as("ms").isLessThan(5_000);
            assertThat(r.statusCode()).isEqualTo(400);
            JsonNode errors = JSON.readTree(r.body()).get("errors");
            assertThat(errors.get(0).asText()).startsWith("<request body>:1:1: invalid YAML: a document of")
                    .contains("at most 2097152 are allowed per document");
        }
    }
}
