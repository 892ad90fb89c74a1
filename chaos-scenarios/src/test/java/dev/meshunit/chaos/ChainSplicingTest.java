package dev.meshunit.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshunit.testing.Async;
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
            proxies.addToxic("splice", new ToxicSpec("lat", Direction.DOWNSTREAM, 1f, new Toxic.Latency(5, 2)));
            proxies.addToxic("splice", new ToxicSpec("slice", Direction.DOWNSTREAM, 1f, new Toxic.Slicer(300, 50, 100)));
            proxies.addToxic("splice", new ToxicSpec("bw", Direction.DOWNSTREAM, 1f, new Toxic.Bandwidth(5_000)));
            byte[] sent = new byte[200_000];
            for (int i = 0; i < sent.length; i++) {
                sent[i] = (byte) (i * 31 + i / 256);
            }
            try (Socket socket = new Socket("127.0.0.1", proxy.port())) {
                socket.setSoTimeout(20_000);
                CompletableFuture<byte[]> received = CompletableFuture.supplyAsync(() -> readN(socket, sent.length),
                        Async.THREAD_PER_TASK);
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

    /** Changes at every position of a three-toxic chain, so restarts begin mid-chain as well as at its head. */
    private static void change(ToxicProxyServer proxies, int step) {
        switch (step % 6) {
            case 0 -> proxies.updateToxic("splice", "slice", t -> t.withToxic(new Toxic.Slicer(200 + step, 50, 100), 1f));
            case 1 -> proxies.updateToxic("splice", "bw", t -> t.withToxic(new Toxic.Bandwidth(5_000 + step), 1f));
            case 2 -> proxies.addToxic("splice", new ToxicSpec("tail", Direction.DOWNSTREAM, 1f, new Toxic.Latency(3, 2)));
            case 3 -> proxies.removeToxic("splice", "tail");
            case 4 -> proxies.updateToxic("splice", "lat", t -> t.withToxic(new Toxic.Latency(step % 10, 2), 1f));
            default -> {
                if (step % 12 == 5) {
                    proxies.addToxic("splice", new ToxicSpec("up", Direction.UPSTREAM, 1f, new Toxic.Slicer(300, 50, 50)));
                } else {
                    proxies.removeToxic("splice", "up");
                }
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
