package dev.meshunit.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * The latency toxic timed on real round trips. Isolated so that the other classes' traffic (with
 * paranoid leak tracking) adds less scheduling noise to the figures it prints.
 */
@Isolated
@ExtendWith(NettyLeakCheck.class)
class LatencyTimingTest {

    @Test
    void latencyOf100MillisecondsAddsAtLeast100MillisecondsToEveryRoundTrip() throws IOException {
        try (TestServers.Upstream echo = TestServers.echo();
                ToxicProxyServer proxies = ToxicProxyServer.create();
                ToxiproxyApiServer api = ToxiproxyApiServer.start(new InetSocketAddress("127.0.0.1", 0), proxies)) {
            ToxiproxyClient client = new ToxiproxyClient("127.0.0.1", api.port());
            Proxy proxy = client.createProxy("latency", "127.0.0.1:0", echo.address());
            try (Socket socket = new Socket("127.0.0.1", Integer.parseInt(proxy.getListen().split(":")[1]))) {
                socket.setSoTimeout(5000);
                socket.setTcpNoDelay(true);
                List<Long> baseline = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    baseline.add(TestServers.roundTripMillis(socket));
                }
                System.gc(); // other classes' garbage (paranoid leak records) should not be collected mid-measurement
                proxy.toxics().latency("latency", ToxicDirection.DOWNSTREAM, 100);
                long warmUp = TestServers.roundTripMillis(socket);
                List<Long> trips = new ArrayList<>();
                for (int i = 0; i < 7; i++) {
                    trips.add(TestServers.roundTripMillis(socket));
                }
                System.out.println("latency 100 ms: baseline " + baseline.subList(15, 20) + " ms, warm-up " + warmUp
                        + " ms, round trips " + trips + " ms");
                assertThat(warmUp).isGreaterThanOrEqualTo(100);
                assertThat(trips).allSatisfy(ms -> assertThat(ms).isGreaterThanOrEqualTo(100));
                // Wall clock, as the toxic is measured end to end: the lower bound is exact, the upper bound only
                // generous (the median, below 500 ms), since CI machines are shared and a descheduled thread adds
                // its wait to a round trip. Its precision on an idle machine shows in the printed figures.
                assertThat(trips.stream().sorted().toList().get(trips.size() / 2)).isBetween(100L, 500L);
            }
            assertThat(proxies.journal().connections("latency").get(0).toxicsApplied())
                    .containsExactly("latency(latency,downstream)");
        }
    }
}
