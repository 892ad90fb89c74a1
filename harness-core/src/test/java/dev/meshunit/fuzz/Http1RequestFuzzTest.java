package dev.meshunit.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.meshunit.MeshProxy;
import dev.meshunit.testing.OneService;
import dev.meshunit.testing.RawHttp;
import dev.meshunit.testing.TestBackend;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Fuzz target for the HTTP/1.1 request path, through the public entry only ({@link MeshProxy} over a real
 * socket), so that it survives rewrites of the data path. Each input is sent as the client's bytes, then the
 * client half-closes: the proxy must answer or close within 30 s, and a normal request must still be answered
 * afterwards. Leak detection (PARANOID in tests) reports any buffer a bad request leaks. Seeds:
 * {@code Http1RequestFuzzTestInputs/request}.
 */
class Http1RequestFuzzTest {
    private static TestBackend backend;
    private static MeshProxy proxy;
    private static int runs;
    private static com.code_intelligence.jazzer.api.SilentCloseable loopbackOnly;

    @BeforeAll
    static void start() {
        backend = TestBackend.named("fuzz");
        proxy = MeshProxy.builder().config(OneService.config(backend.port())).journalCapacity(100).ioThreads(1).start();
        // Loads (and has Jazzer instrument) the whole request path once before the first input is timed.
        assertThat(RawHttp.get(proxy.port(), OneService.AUTHORITY, "/warm").status()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        if (proxy != null) proxy.close();
        if (backend != null) backend.close();
        if (loopbackOnly != null) loopbackOnly.close();
    }

    /** Jazzer's SSRF detector (loaded once fuzzing starts): the proxy and its backend are on 127.0.0.1, nothing else. */
    private static com.code_intelligence.jazzer.api.SilentCloseable allowLoopback() {
        try {
            return BugDetectors.allowNetworkConnections((host, port) -> host.equals("127.0.0.1") || host.equals("localhost"));
        } catch (IllegalStateException noDetector) { // replaying the corpus without Jazzer's agent
            return () -> { };
        }
    }

    @FuzzTest(maxDuration = "10s")
    void request(byte[] input) throws IOException {
        if (loopbackOnly == null) loopbackOnly = allowLoopback();
        try (Socket s = new Socket("127.0.0.1", proxy.port())) {
            // A hang, not speed, is the finding: generous, as a loaded CI machine running instrumented classes
            // took over 5 s for the first inputs (tools/flake-check.sh).
            s.setSoTimeout(30_000);
            s.getOutputStream().write(input);
            s.shutdownOutput();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[8192];
            try {
                while (in.read(buf) >= 0) {
                    // drain until the proxy closes
                }
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the proxy neither answered nor closed within 30 s", e);
            } catch (IOException reset) {
                // a reset is an answer too
            }
        }
        if (++runs % 32 == 0) {
            assertThat(RawHttp.get(proxy.port(), OneService.AUTHORITY, "/still").status()).isEqualTo(200);
        }
    }
}
