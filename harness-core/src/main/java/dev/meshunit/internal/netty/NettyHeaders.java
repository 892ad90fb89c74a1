package dev.meshunit.internal.netty;

import dev.meshunit.internal.http.HeaderMap;
import dev.meshunit.journal.JournalHeaders;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Netty's HTTP/1 headers as a {@link HeaderMap}, without copying them. */
public final class NettyHeaders implements HeaderMap {
    private final HttpHeaders headers;

    NettyHeaders(HttpHeaders headers) {
        this.headers = headers;
    }

    /** New empty headers of the HTTP/1 codec's kind (for benchmarks and tests outside this package too). */
    public static NettyHeaders empty() {
        return new NettyHeaders(new DefaultHttpHeaders());
    }

    /**
     * Headers as Netty's HTTP/1 decoder hands them over: each name a new {@link AsciiString}, each value a
     * String (for benchmarks and tests outside this package).
     */
    public static NettyHeaders decoded(String... namesAndValues) {
        HttpHeaders h = new DefaultHttpHeaders();
        for (int i = 0; i < namesAndValues.length; i += 2) h.add(new AsciiString(namesAndValues[i]), namesAndValues[i + 1]);
        return new NettyHeaders(h);
    }

    /** The Netty headers behind a map, copied only when the map is of another codec's kind. */
    static HttpHeaders unwrap(HeaderMap map) {
        if (map instanceof NettyHeaders n) return n.headers;
        HttpHeaders h = new DefaultHttpHeaders();
        for (Map.Entry<String, String> e : map) h.add(e.getKey(), e.getValue());
        return h;
    }

    @Override
    public String get(CharSequence name) {
        return headers.get(name);
    }

    @Override
    public List<String> getAll(CharSequence name) {
        return headers.getAll(name);
    }

    @Override
    public boolean contains(CharSequence name) {
        return headers.contains(name);
    }

    @Override
    public HeaderMap set(CharSequence name, Object value) {
        headers.set(name, value);
        return this;
    }

    @Override
    public HeaderMap add(CharSequence name, Object value) {
        headers.add(name, value);
        return this;
    }

    @Override
    public HeaderMap remove(CharSequence name) {
        headers.remove(name);
        return this;
    }

    @Override
    public HeaderMap copy() {
        return new NettyHeaders(headers.copy());
    }

    /** Straight from Netty's entries: no entry objects on the way. */
    @Override
    public Map<String, List<String>> toMap() {
        JournalHeaders.Builder b = new JournalHeaders.Builder(headers.size());
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence(); it.hasNext(); ) {
            Map.Entry<CharSequence, CharSequence> e = it.next();
            b.add(e.getKey(), e.getValue());
        }
        return b.build();
    }

    @Override
    public Iterator<Map.Entry<String, String>> iterator() {
        return headers.iteratorAsString();
    }
}
