package dev.meshunit.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A plain TCP client, as {@code (echo hello; sleep 1) | nc host port} is in Istio's task. */
public final class TcpClient {
    private TcpClient() {}

    public static Socket connect(InetSocketAddress to) {
        try {
            Socket s = new Socket(to.getAddress(), to.getPort());
            s.setSoTimeout(20_000);
            s.setTcpNoDelay(true);
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends {@code text}, half-closes, and returns everything the other side sent until it closed. */
    public static String exchange(InetSocketAddress to, String text) {
        try (Socket s = connect(to)) {
            s.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
            s.getOutputStream().flush();
            s.shutdownOutput();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the other side closed (or reset) the connection without sending anything. */
    public static boolean closedWithoutData(Socket s) {
        try {
            return s.getInputStream().read() == -1;
        } catch (IOException reset) {
            return true;
        }
    }
}
