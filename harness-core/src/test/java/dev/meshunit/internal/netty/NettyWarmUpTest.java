package dev.meshunit.internal.netty;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The command line's start-up warm-up: a daemon that ends by itself and leaves no buffer behind (PARANOID). */
class NettyWarmUpTest {
    @Test
    void warmsUpOnADaemonThreadThatEnds() throws InterruptedException {
        Thread t = NettyWarmUp.inBackground();
        assertThat(t.isDaemon()).isTrue();
        assertThat(t.getName()).isEqualTo("meshunit-warm-up");
        t.join(TimeUnit.SECONDS.toMillis(60)); // generous: class loading on a busy machine; it takes ~0.1 s idle
        assertThat(t.isAlive()).isFalse();
    }

    @Test
    void runningItAgainIsHarmless() {
        NettyWarmUp.run();
        NettyWarmUp.run();
        System.gc(); // a buffer it failed to release would be reported as a LEAK by the next allocations
    }
}
