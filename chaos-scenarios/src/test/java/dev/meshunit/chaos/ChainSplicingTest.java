package dev.meshunit.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Toxics spliced into live connections through the plain Java API: nothing lost or reordered; toxicity is seeded. */
@ExtendWith(NettyLeakCheck.class)
class ChainSplicingTest {

    @Test
    void changingToxicsMidStreamKeepsEveryByteInOrder() throws Exception {
        try (TestServers.Upstream echo = TestServers.echo(); ToxicProxyServer proxies = ToxicProxyServer.create()) {
            ProxyInfo proxy = proxies.createProxy("splice", "127.0.0.1:0", echo.address());
            byte[] sent = new byte[200_000];
            for (int i = 0; i < sent.length; i++) {
                sent[i] = (byte) (i * 31 + i / 256);
            }
            try (Socket socket = new Socket("127.0.0.1", proxy.port())) {
                socket.setSoTimeout(20_000);
                CompletableFuture<byte[]> received = CompletableFuture.supplyAsync(() -> readN(socket, sent.length));
                OutputStream out = socket.getOutputStream();
                for (int offset = 0, step = 0; offset < sent.length; offset += 2000, step++) {
                    out.write(sent, offset, Math.min(2000, sent.length - offset));
                    out.flush();
                    change(proxies, step);
                }
                assertThat(received.get(30, TimeUnit.SECONDS)).isEqualTo(sent);
            }
        }
    }

    private static void change(ToxicProxyServer proxies, int step) {
        switch (step % 6) {
            case 0 -> proxies.addToxic("splice", ToxicSpec.of(Direction.DOWNSTREAM, new Toxic.Latency(20, 5)));
            case 1 -> proxies.addToxic("splice", new ToxicSpec("slice", Direction.UPSTREAM, 1f, new Toxic.Slicer(300, 50, 100)));
            case 2 -> proxies.updateToxic("splice", "latency_downstream", t -> t.withToxic(new Toxic.Latency(5, 0), 1f));
            case 3 -> proxies.addToxic("splice", ToxicSpec.of(Direction.DOWNSTREAM, new Toxic.Bandwidth(10_000)));
            case 4 -> proxies.removeToxic("splice", "latency_downstream");
            default -> {
                proxies.removeToxic("splice", "slice");
                proxies.removeToxic("splice", "bandwidth_downstream");
            }
        }
    }

    private static byte[] readN(Socket socket, int n) {
        try {
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            while (all.size() < n) {
                int read = in.read(buffer);
                if (read < 0) {
                    break;
                }
                all.write(buffer, 0, read);
            }
            return all.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void toxicityDrawsAreReproducibleForASeed() throws IOException {
        assertThat(appliedPattern(11)).isEqualTo(appliedPattern(11)).contains(true, false);
    }

    private static List<Boolean> appliedPattern(long seed) throws IOException {
        try (TestServers.Upstream echo = TestServers.echo();
                ToxicProxyServer proxies = ToxicProxyServer.builder().seed(seed).build()) {
            ProxyInfo proxy = proxies.createProxy("coin", "127.0.0.1:0", echo.address());
            proxies.addToxic("coin", new ToxicSpec("half", Direction.DOWNSTREAM, 0.5f, new Toxic.Latency(0, 0)));
            for (int i = 0; i < 16; i++) {
                try (Socket socket = new Socket("127.0.0.1", proxy.port())) {
                    socket.setSoTimeout(5000);
                    socket.getOutputStream().write('c');
                    assertThat(socket.getInputStream().read()).isEqualTo('c');
                }
            }
            List<Boolean> applied = new ArrayList<>();
            proxies.journal().connections().forEach(c -> applied.add(!c.toxicsApplied().isEmpty()));
            return applied;
        }
    }
}
