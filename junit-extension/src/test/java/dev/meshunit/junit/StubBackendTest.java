package dev.meshunit.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;

/** {@link StubBackend} over real sockets: scripts, sequences, delays, recording, pipelining, lifecycle. */
class StubBackendTest {
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final StubBackend stub = StubBackend.builder().label("v2")
            .answer("/ratings/", StubAnswer.json("{\"stars\":5}"))
            .answer("/ratings/flaky", StubAnswer.status(503), StubAnswer.status(503), StubAnswer.ok("finally"))
            .start();

    @AfterEach
    void stop() {
        stub.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(stub.uri().resolve(path)).build(), BodyHandlers.ofString());
    }

    @Test
    void longestPrefixAnswersAndTheLabelIsDefault() throws Exception {
        HttpResponse<String> rating = get("/ratings/1");
        assertThat(rating.statusCode()).isEqualTo(200);
        assertThat(rating.body()).isEqualTo("{\"stars\":5}");
        assertThat(rating.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(rating.headers().firstValue("x-meshunit-stub")).hasValue("v2");

        assertThat(get("/other").body()).isEqualTo("v2");
        assertThat(stub.address().getAddress().isLoopbackAddress()).isTrue();
    }

    @Test
    void aSequenceIsServedInOrderThenItsLastAnswerRepeats() throws Exception {
        assertThat(get("/ratings/flaky").statusCode()).isEqualTo(503);
        assertThat(get("/ratings/flaky").statusCode()).isEqualTo(503);
        assertThat(get("/ratings/flaky").body()).isEqualTo("finally");
        assertThat(get("/ratings/flaky").body()).isEqualTo("finally");

        stub.answer("/ratings/flaky", StubAnswer.status(500));   // a new script starts its count again
        assertThat(get("/ratings/flaky").statusCode()).isEqualTo(500);
    }

    @Test
    void requestsAreRecordedAsSentOnOneKeepAliveConnection() throws Exception {
        client.send(HttpRequest.newBuilder(stub.uri().resolve("/ratings/7?full=1")).header("x-user", "jason")
                .POST(HttpRequest.BodyPublishers.ofString("hello")).build(), BodyHandlers.ofString());
        get("/ratings/8");

        assertThat(stub.requests()).hasSize(2);
        RecordedRequest first = stub.requests().get(0);
        assertThat(first.method()).isEqualTo("POST");
        assertThat(first.target()).isEqualTo("/ratings/7?full=1");
        assertThat(first.path()).isEqualTo("/ratings/7");
        assertThat(first.header("X-User")).isEqualTo("jason");
        assertThat(first.bodyText()).isEqualTo("hello");
        assertThat(first.sequence()).isEqualTo(1);
        assertThat(stub.lastRequest().connection()).isEqualTo(first.connection());
        assertThat(stub.requests("/ratings/8")).hasSize(1);

        stub.reset();
        assertThat(stub.requestCount()).isZero();
        assertThat(get("/ratings/1").body()).isEqualTo("v2");   // scripts are gone too
    }

    @Test
    void aDelayedAnswerArrivesNoSoonerThanItsDelay() throws Exception {
        stub.answer("/slow", StubAnswer.ok("late").withDelay(Duration.ofMillis(200)));
        long start = System.nanoTime();
        assertThat(get("/slow").body()).isEqualTo("late");
        // lower bound only: the machine may be busy, so no upper bound is asserted
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrderEvenWhenTheFirstIsSlow() throws Exception {
        stub.answer("/slow", StubAnswer.ok("first").withDelay(Duration.ofMillis(100)));
        try (Socket socket = new Socket(stub.address().getAddress(), stub.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET /slow HTTP/1.1\r\nHost: x\r\n\r\nGET /fast HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String both = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(both.indexOf("first")).isPositive().isLessThan(both.indexOf("\r\n\r\nv2"));
        }
    }

    @Test
    void malformedRequestGets400AndTheConnectionCloses() throws Exception {
        try (Socket socket = new Socket(stub.address().getAddress(), stub.port())) {
            socket.getOutputStream().write("NOT HTTP AT ALL\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 400");
        }
        assertThat(stub.requestCount()).isZero();
    }

    @Test
    void closeReleasesThePortAndTheThread() throws Exception {
        StubBackend other = StubBackend.start("gone");
        int port = other.port();
        other.close();
        other.close();
        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
        // Netty's termination future completes on the loop's own thread just before that thread ends: wait
        // (bounded) for it to be gone rather than expect it gone the instant close() returns.
        await().atMost(Duration.ofSeconds(10)).until(() ->
                Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().startsWith("meshunit-stub-gone")));
    }

    @Test
    void aBackendFieldIsBoundAndClosedWithTheClass() {
        EngineTestKit.engine("junit-jupiter").selectors(selectClass(OneLine.class)).execute().testEvents()
                .assertStatistics(s -> s.succeeded(1));
        assertThatThrownBy(() -> new Socket("127.0.0.1", OneLine.PORT.get()).close()).isInstanceOf(IOException.class);
    }

    @MeshTest(config = "mesh/ratings", seed = 0x57ab)
    static class OneLine {
        static final AtomicReference<Integer> PORT = new AtomicReference<>();
        @Backend("ratings") static final StubBackend RATINGS = StubBackend.start("v1");

        @Test
        void answers(Mesh mesh) throws Exception {
            PORT.set(RATINGS.port());
            var response = mesh.httpClient().send(HttpRequest.newBuilder(URI.create("http://ratings:9080/r")).build(),
                    BodyHandlers.ofString());
            assertThat(response.body()).isEqualTo("v1");
        }
    }
}
