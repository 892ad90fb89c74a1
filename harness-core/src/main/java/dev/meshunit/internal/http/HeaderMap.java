package dev.meshunit.internal.http;

import dev.meshunit.journal.JournalHeaders;
import java.util.List;
import java.util.Map;

/**
 * Request or response headers as the stream, its filters and the router see them, whatever the codec
 * (Envoy's HeaderMap). Names compare without case. Each codec adapts its own header type, without copying.
 */
public interface HeaderMap extends Iterable<Map.Entry<String, String>> {
    /** The first value, or null. */
    String get(String name);

    List<String> getAll(String name);

    boolean contains(String name);

    /** Replaces every value of {@code name}; numbers are written in decimal. */
    HeaderMap set(String name, Object value);

    HeaderMap add(String name, Object value);

    HeaderMap remove(String name);

    /** An independent copy of the same kind. */
    HeaderMap copy();

    /** The headers as the journal keeps them: lower-case names, immutable, compact; one pass, however many duplicates. */
    default Map<String, List<String>> toMap() {
        return JournalHeaders.of(this);
    }
}
