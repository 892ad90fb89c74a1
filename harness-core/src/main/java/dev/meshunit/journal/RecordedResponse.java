package dev.meshunit.journal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An answer kept for comparison: status, headers (names lower-case) and the first bytes of the body.
 * {@code bodyBytes} counts the whole body; {@code truncated} says that {@code body} holds only its start.
 */
public record RecordedResponse(int status, Map<String, List<String>> headers, byte[] body, long bodyBytes,
                               boolean truncated) {
    public RecordedResponse {
        headers = Map.copyOf(headers);
        body = body.clone();
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    /** How many bytes of the body were kept (no copy, unlike {@link #body()}). */
    public int bodyBytesKept() {
        return body.length;
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    public String header(String name) {
        List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RecordedResponse r && r.status == status && r.headers.equals(headers)
                && Arrays.equals(r.body, body) && r.bodyBytes == bodyBytes && r.truncated == truncated;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * status + headers.hashCode()) + Arrays.hashCode(body);
    }

    @Override
    public String toString() {
        return "RecordedResponse[status=" + status + ", headers=" + headers + ", bodyBytes=" + bodyBytes
                + (truncated ? " (truncated)" : "") + "]";
    }
}
