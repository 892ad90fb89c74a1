import io.netty.buffer.ByteBuf;
import io.netty.util.AsciiString;
import io.netty.util.ByteProcessor;
import java.util.ArrayList;
import java.util.List;

/**
 * A hand-written HTTP/1.1 head, for the {@code raw} floor of BareNettyProxy: parsed from the bytes without Netty's
 * HTTP objects, names lower-cased and values kept as {@link AsciiString}s over one copy of the head, as a proxy's own
 * codec would hand them to routing and the journal. Only what the benchmark's exchanges use is read: a start line,
 * header lines, Content-Length; a chunked or close-delimited body is refused ({@link #supported}).
 */
final class RawHttp {
    final AsciiString start;
    final List<AsciiString> names = new ArrayList<>(16);
    final List<AsciiString> values = new ArrayList<>(16);
    long contentLength;
    boolean close;
    boolean supported = true;

    private RawHttp(AsciiString start) {
        this.start = start;
    }

    /** Stops at the second LF of the head's closing CRLF CRLF. */
    private static final class EndOfHead implements ByteProcessor {
        private int state;

        @Override
        public boolean process(byte b) {
            state = b == '\n' ? (state == 1 ? 2 : (state == 3 ? 4 : 0)) : (b == '\r' ? (state == 2 ? 3 : 1) : 0);
            return state != 4;
        }
    }

    /** The head at {@code in}'s reader index once it is complete (consumed), or null (nothing consumed). */
    static RawHttp parse(ByteBuf in) {
        int end = in.forEachByte(new EndOfHead());
        if (end < 0) return null;
        int length = end + 1 - in.readerIndex();
        byte[] head = new byte[length];
        in.readBytes(head);
        int line = lineEnd(head, 0);
        RawHttp h = new RawHttp(new AsciiString(head, 0, line, false));
        int i = line + 2;
        while (i < length - 2) {
            int e = lineEnd(head, i);
            int colon = i;
            while (colon < e && head[colon] != ':') {
                byte c = head[colon];
                if (c >= 'A' && c <= 'Z') head[colon] = (byte) (c + 32);
                colon++;
            }
            int v = colon + 1;
            while (v < e && (head[v] == ' ' || head[v] == '\t')) v++;
            int ve = e;
            while (ve > v && (head[ve - 1] == ' ' || head[ve - 1] == '\t')) ve--;
            AsciiString name = new AsciiString(head, i, colon - i, false);
            AsciiString value = new AsciiString(head, v, ve - v, false);
            h.names.add(name);
            h.values.add(value);
            if (name.contentEquals("content-length")) h.contentLength = value.parseLong();
            else if (name.contentEquals("transfer-encoding")) h.supported = false;
            else if (name.contentEquals("connection") && value.contentEqualsIgnoreCase("close")) h.close = true;
            i = e + 2;
        }
        return h;
    }

    private static int lineEnd(byte[] head, int from) {
        for (int i = from; i < head.length - 1; i++) {
            if (head[i] == '\r' && head[i + 1] == '\n') return i;
        }
        return head.length;
    }

    /** The head again, without the hop-by-hop headers a proxy drops, and with {@code Connection: keep-alive}. */
    void write(ByteBuf out) {
        out.writeCharSequence(start, io.netty.util.CharsetUtil.US_ASCII);
        out.writeShort(CRLF);
        for (int i = 0; i < names.size(); i++) {
            AsciiString n = names.get(i);
            if (n.contentEquals("connection") || n.contentEquals("keep-alive") || n.contentEquals("proxy-connection")
                    || n.contentEquals("te") || n.contentEquals("upgrade")) {
                continue;
            }
            out.writeBytes(n.array(), n.arrayOffset(), n.length());
            out.writeShort(COLON_SPACE);
            AsciiString v = values.get(i);
            out.writeBytes(v.array(), v.arrayOffset(), v.length());
            out.writeShort(CRLF);
        }
        out.writeBytes(KEEP_ALIVE);
        out.writeShort(CRLF);
    }

    private static final int CRLF = ('\r' << 8) | '\n';
    private static final int COLON_SPACE = (':' << 8) | ' ';
    private static final byte[] KEEP_ALIVE = "connection: keep-alive\r\n".getBytes(io.netty.util.CharsetUtil.US_ASCII);
}
