package dev.meshunit.dataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshunit.MeshProxy;
import dev.meshunit.VirtualTime;
import dev.meshunit.testing.LoopBarrier;
import dev.meshunit.testing.NoLeaks;
import dev.meshunit.testing.RawHttp;
import dev.meshunit.testing.RawUpstream;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Istio's {@code http.idleTimeout} on virtual time: a pooled connection is closed exactly the timeout after its
 * last request, and reusing it sets no new timer (the pending one falls due early and sets the remainder).
 */
@ExtendWith(NoLeaks.class)
class PooledIdleTimeoutTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void aReusedConnectionIsClosedTheTimeoutAfterItsLastRequest() throws Exception {
        VirtualTime time = VirtualTime.create();
        try (RawUpstream up = RawUpstream.answering(r -> RawUpstream.ok("fine"));
             MeshProxy proxy = MeshProxy.builder().virtualTime(time).ioThreads(1)
                     .config(CircuitBreakingTest.svc(up.port(), "{http: {idleTimeout: 10s}}", "")).start();
             RawHttp client = new RawHttp(proxy.port())) {
            assertThat(client.send("GET", "svc:8080", "/", null).status()).isEqualTo(200);
            LoopBarrier.pass(proxy); // the release re-armed the timer without scheduling
            assertThat(time.pendingTimers()).as("the released connection's idle timer").isOne();
            time.advance(Duration.ofSeconds(4));
            assertThat(client.send("GET", "svc:8080", "/", null).status()).isEqualTo(200);
            LoopBarrier.pass(proxy); // the release re-armed the timer without scheduling
            assertThat(up.connections()).as("reused").isOne();
            assertThat(time.pendingTimers()).as("the second release set no timer").isOne();
            assertThat(time.nextTimerIn()).isEqualTo(Duration.ofSeconds(6));
            time.advance(Duration.ofMillis(9_999)); // 13.999 s: the fire at 10 s set the remainder
            assertThat(up.openConnections()).isOne();
            assertThat(time.nextTimerIn()).isEqualTo(Duration.ofMillis(1));
            time.advance(Duration.ofMillis(1));
            await().atMost(WAIT).until(() -> up.openConnections() == 0);
            assertThat(time.pendingTimers()).isZero();
        }
    }
}
