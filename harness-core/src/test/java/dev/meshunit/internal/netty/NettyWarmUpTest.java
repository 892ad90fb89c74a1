package dev.meshunit.internal.netty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshunit.testing.NoLeaks;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The command line's start-up warm-up: a daemon that ends by itself and leaves no buffer behind (PARANOID). */
@ExtendWith(NoLeaks.class) // after the class: no leak report, with every buffer tracked (PARANOID)
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
    }
}
