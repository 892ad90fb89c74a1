package dev.meshunit.junit;

import java.net.InetSocketAddress;

/**
 * A test backend on 127.0.0.1 that answers every request with its name. It was a JDK {@code HttpServer}, which
 * stalls about 40 ms per keep-alive answer (Nagle and delayed ACK) unless {@code sun.net.httpserver.nodelay} is
 * set; it is now a {@link StubBackend}, which new tests use directly.
 */
final class TinyBackend implements AutoCloseable {
    private final StubBackend stub;

    private TinyBackend(StubBackend stub) {
        this.stub = stub;
    }

    static TinyBackend start(String name) {
        return new TinyBackend(StubBackend.start(name));
    }

    InetSocketAddress address() {
        return stub.address();
    }

    int port() {
        return stub.port();
    }

    @Override
    public void close() {
        stub.close();
    }
}
