package dev.meshunit.testing;

import static org.awaitility.Awaitility.await;

import dev.meshunit.MeshProxy;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;

/**
 * For a proxy with one event loop ({@code ioThreads(1)}): returns once the loop finished the task it was running,
 * such as the one that wrote an answer the test just read and then re-armed a timer without scheduling anything.
 * A connection accepted now is set up by a later task on that loop; its count tells when that happened.
 */
public final class LoopBarrier {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private LoopBarrier() {}

    public static void pass(MeshProxy proxy) throws IOException {
        long accepted = proxy.downstreamStats().cxTotal();
        long active = proxy.downstreamStats().cxActive();
        try (Socket later = Sockets.connect(proxy)) {
            await().atMost(WAIT).until(() -> proxy.downstreamStats().cxTotal() == accepted + 1);
        }
        // Gone again (connections the test closed meanwhile may be gone too), with its idle timer.
        await().atMost(WAIT).until(() -> proxy.downstreamStats().cxActive() <= active);
    }
}
