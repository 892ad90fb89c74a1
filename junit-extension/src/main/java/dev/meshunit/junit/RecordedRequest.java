package dev.meshunit.junit;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A request as a {@link StubBackend} received it: what the proxy (or any client) actually sent upstream.
 *
 * @param sequence 1 for the backend's first request, counted across connections
 * @param connection 1 for the backend's first connection: requests on one keep-alive connection share it
 * @param target the request target as sent: path and query ({@code /ratings/1?x=2})
 * @param headers names in lower case, values in the order received
 */
public record RecordedRequest(long sequence, long connection, Instant received, String method, String target,
        Map<String, List<String>> headers, byte[] body) {

    public RecordedRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(target, "target");
        headers = Map.copyOf(headers);
        body = body.clone();
    }

    /** The path without the query. */
    public String path() {
        int q = target.indexOf('?');
        return q < 0 ? target : target.substring(0, q);
    }

    /** The first value of a header (any case), or null. */
    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "#" + sequence + " " + method + " " + target + " (connection " + connection + ", " + body.length + " bytes)";
    }
}
