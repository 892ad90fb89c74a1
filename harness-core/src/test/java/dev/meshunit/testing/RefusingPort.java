package dev.meshunit.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * A loopback port where every connect is refused, for as long as this is open: a socket bound to it without
 * listening, and without SO_REUSEADDR, so that nothing else can bind it meanwhile. A port found free and closed
 * again is not that: the next ephemeral bind may get it (in TcpHygieneTest it became the proxy's own listener).
 */
public final class RefusingPort implements AutoCloseable {
    private final Socket holder = new Socket();

    public RefusingPort() {
        try {
            holder.setReuseAddress(false);
            holder.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return holder.getLocalPort();
    }

    @Override
    public void close() {
        try {
            holder.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
