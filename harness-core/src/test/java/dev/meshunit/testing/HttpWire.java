package dev.meshunit.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Reading HTTP/1.1 framing byte by byte, for the raw test client and the raw test upstream. */
final class HttpWire {
    private HttpWire() {}

    /** One line without its CR LF, or null at end of stream. */
    static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') break;
            if (c != '\r') b.write(c);
        }
        if (c == -1 && b.size() == 0) return null;
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    /** A chunked body, decoded; trailers are read and dropped. */
    static byte[] chunkedBody(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while (true) {
            int size = Integer.parseInt(line(in).split(";")[0].trim(), 16);
            if (size == 0) {
                while (!line(in).isEmpty()) { /* trailers */ }
                return b.toByteArray();
            }
            b.write(in.readNBytes(size));
            line(in);
        }
    }
}
