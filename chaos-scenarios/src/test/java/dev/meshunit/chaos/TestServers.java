package dev.meshunit.chaos;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Small blocking upstream servers on 127.0.0.1, one thread per connection, closed by the test. */
final class TestServers {
    private TestServers() {
    }

    interface Script {
        void run(Socket socket) throws IOException;
    }

    /** Sends one byte through an echo and returns how long it took to come back. */
    static long roundTripMillis(Socket socket) throws IOException {
        long start = System.nanoTime();
        socket.getOutputStream().write('p');
        if (socket.getInputStream().read() != 'p') {
            throw new IOException("echo did not answer 'p'");
        }
        return java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    static Upstream echo() {
        return new Upstream(socket -> {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            byte[] buffer = new byte[8192];
            for (int n; (n = in.read(buffer)) > 0; ) {
                out.write(buffer, 0, n);
                out.flush();
            }
        });
    }

    /** Sends {@code bytes} bytes of 'x' as soon as a client connects, then closes. */
    static Upstream sending(int bytes) {
        return new Upstream(socket -> {
            OutputStream out = socket.getOutputStream();
            byte[] data = new byte[bytes];
            java.util.Arrays.fill(data, (byte) 'x');
            out.write(data);
            out.flush();
        });
    }

    static final class Upstream implements AutoCloseable {
        private final ServerSocket server;
        private final List<Socket> sockets = new CopyOnWriteArrayList<>();
        private final Thread acceptor;

        Upstream(Script script) {
            try {
                server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            acceptor = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket socket = server.accept();
                        sockets.add(socket);
                        Thread worker = new Thread(() -> {
                            try (socket) {
                                script.run(socket);
                            } catch (IOException ignored) {
                                // the client went away
                            }
                        }, "test-upstream-worker");
                        worker.setDaemon(true);
                        worker.start();
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "test-upstream-accept");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        String address() {
            return "127.0.0.1:" + server.getLocalPort();
        }

        int port() {
            return server.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }
}
