package dev.meshunit.internal.http;

import dev.meshunit.journal.JournalHeaders;
import java.util.List;
import java.util.Map;

/**
 * Request or response headers as the stream, its filters and the router see them, whatever the codec
 * (Envoy's HeaderMap). Names compare without case. Each codec adapts its own header type, without copying.
 * Names are CharSequences so that the proxy's own (Netty {@code AsciiString} constants) keep their hash cached.
 */
public interface HeaderMap extends Iterable<Map.Entry<String, String>> {
    /** The first value, or null. */
    String get(CharSequence name);

    List<String> getAll(CharSequence name);

    boolean contains(CharSequence name);

    /** Replaces every value of {@code name}; numbers are written in decimal. */
    HeaderMap set(CharSequence name, Object value);

    HeaderMap add(CharSequence name, Object value);

    HeaderMap remove(CharSequence name);

    /** An independent copy of the same kind. */
    HeaderMap copy();

    /** The headers as the journal keeps them: lower-case names, immutable, compact; one pass, however many duplicates. */
    default Map<String, List<String>> toMap() {
        return JournalHeaders.of(this);
    }
}
