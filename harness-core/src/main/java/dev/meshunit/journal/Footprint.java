package dev.meshunit.journal;

import java.util.List;
import java.util.Map;

/**
 * Estimated heap bytes of what the journal retains, for its byte budget. Deliberately generous (compressed
 * references, object headers, array slack): the budget must hold on any JVM, not be exact on one.
 */
final class Footprint {
    private static final long STRING = 48;
    private static final long EXCHANGE = 192;
    private static final long ATTEMPT = 96;
    private static final long SHADOW = 176;
    private static final long RESPONSE = 80;
    private static final long HEADER_NAME = 40;
    private static final long HEADER_VALUE = 12;

    private Footprint() {}

    static long of(Exchange e) {
        long b = EXCHANGE + string(e.source()) + string(e.method()) + string(e.authority()) + string(e.path())
                + headers(e.requestHeaders()) + headers(e.responseTrailers());
        List<Attempt> attempts = e.attempts(); // indexed: no iterator per recorded exchange
        for (int i = 0; i < attempts.size(); i++) {
            Attempt a = attempts.get(i);
            b += ATTEMPT + string(a.endpoint()) + string(a.error()) + string(a.upstreamPath()) + headers(a.upstreamHeaders())
                    + of(a.requestBody()) + of(a.responseBody());
        }
        List<String> cut = e.truncation().names();
        for (int i = 0; i < cut.size(); i++) b += string(cut.get(i));
        return b;
    }

    static long of(ShadowExchange s) {
        return SHADOW + string(s.method()) + string(s.authority()) + string(s.path()) + string(s.endpoint())
                + string(s.note()) + of(s.response());
    }

    static long of(RecordedResponse r) {
        return r == null ? 0 : RESPONSE + headers(r.headers()) + r.bodyBytesKept();
    }

    static long of(RecordedBody body) {
        return body == null ? 0 : RESPONSE + body.recordedBytes();
    }

    static long headers(Map<String, List<String>> headers) {
        if (headers instanceof JournalHeaders j) return j.estimate(HEADER_NAME, HEADER_VALUE, Footprint::string);
        long b = 0;
        for (Map.Entry<String, List<String>> h : headers.entrySet()) {
            b += HEADER_NAME + string(h.getKey());
            for (String v : h.getValue()) b += HEADER_VALUE + string(v);
        }
        return b;
    }

    /** Latin-1 strings (what HTTP headers decode to) take a byte a character; others two. */
    static long string(String s) {
        if (s == null) return 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 0xff) return STRING + 2L * s.length();
        }
        return STRING + s.length();
    }
}
