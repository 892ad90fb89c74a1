package dev.meshunit.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshunit.fault.Fault;
import dev.meshunit.journal.Exchange;
import dev.meshunit.journal.ResponseFlag;
import java.io.IOException;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** {@code @InjectHttpFault} and {@code mesh.faults().inject(...)}: HTTP-level faults for one test, journalled by name. */
@MeshTest(config = "mesh/ratings")
class HttpFaultAnnotationTest {
    static final TinyBackend RATINGS = TinyBackend.start("ratings");
    @Backend("ratings") static final int PORT = RATINGS.port();

    @AfterAll
    static void stop() {
        RATINGS.close();
    }

    static String get(Mesh mesh, String path) throws Exception {
        return mesh.httpClient().send(HttpRequest.newBuilder(URI.create("http://ratings:9080" + path)).build(),
                BodyHandlers.ofString()).body();
    }

    @Test
    @InjectHttpFault(host = "ratings", kind = InjectHttpFault.Kind.RESET_BEFORE_ANSWER, path = "/ratings/1")
    void resetBeforeTheAnswerForOnePath(Mesh mesh) throws Exception {
        assertThatThrownBy(() -> get(mesh, "/ratings/1")).isInstanceOf(IOException.class)
                .hasRootCauseInstanceOf(SocketException.class).hasRootCauseMessage("Connection reset");
        assertThat(get(mesh, "/ratings/2")).isNotEmpty();
        Exchange reset = mesh.exchanges("ratings").get(0);
        assertThat(reset.fault().http()).isEqualTo("reset_before_answer");
        assertThat(reset.flags()).containsExactlyInAnyOrder(ResponseFlag.FI, ResponseFlag.LR);
    }

    @Test
    @InjectHttpFault(host = "ratings", kind = InjectHttpFault.Kind.TRUNCATED_BODY, length = 50, bytes = 5)
    void truncatedBody(Mesh mesh) {
        assertThatThrownBy(() -> get(mesh, "/ratings/1")).isInstanceOf(IOException.class)
                .hasMessage("fixed content-length: 50, bytes received: 5");
        assertThat(mesh.exchanges("ratings").get(0).fault().http()).isEqualTo("truncated_body");
    }

    @Test
    void theRuntimeApiTakesTheSameFaults(Mesh mesh) throws Exception {
        mesh.faults().inject("ratings", new Fault.SlowBody(4, 2, Duration.ofMillis(50))).requests(1);
        assertThat(get(mesh, "/ratings/1")).isEqualTo("xxxx");
        assertThat(mesh.exchanges("ratings").get(0).fault().http()).isEqualTo("slow_body");
        // Wall clock here (the extension's proxy): two pieces, 50 ms apart from the head, so at least 100 ms.
        assertThat(mesh.exchanges("ratings").get(0).durationMs()).isGreaterThanOrEqualTo(100);
    }

    @Test
    void aBadHttpFaultIsNamed() {
        assertThatThrownBy(() -> new Fault.TruncatedBody(5, 5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("truncated body needs 0 <= sentLength < declaredLength (was 5 of 5)");
    }
}
