package dev.meshunit.testing;

import dev.meshunit.MeshProxy;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** Plain sockets to a proxy, for tests that send what no HTTP client would, or hang up half-way. */
public final class Sockets {
    private Sockets() {}

    public static Socket connect(MeshProxy proxy) throws IOException {
        Socket s = new Socket("127.0.0.1", proxy.port());
        s.setSoTimeout(20_000);
        return s;
    }

    /** Writes the characters as bytes, one for one (ISO-8859-1), so that any byte can be sent. */
    public static void write(Socket s, String raw) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** Everything the proxy sends until it closes the connection. */
    public static String readAll(Socket s) throws IOException {
        return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }
}
