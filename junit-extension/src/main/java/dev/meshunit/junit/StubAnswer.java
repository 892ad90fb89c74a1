package dev.meshunit.junit;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a {@link StubBackend} answers: status, headers, body, and how long it waits before answering. Built
 * from {@link #ok(String)}, {@link #json(String)} or {@link #status(int)} and narrowed with the {@code with}
 * methods; immutable.
 *
 * @param headers name and value pairs, in order; names may repeat
 */
public record StubAnswer(int status, List<Map.Entry<String, String>> headers, byte[] body, Duration delay) {
    public StubAnswer {
        if (status < 100 || status > 999) throw new IllegalArgumentException("status must be 100-999, got " + status);
        headers = List.copyOf(headers);
        body = body.clone();
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) throw new IllegalArgumentException("delay must not be negative, got " + delay);
    }

    /** 200 with a text body. */
    public static StubAnswer ok(String body) {
        return status(200).withBody(body).withHeader("content-type", "text/plain; charset=utf-8");
    }

    /** 200 with a JSON body. */
    public static StubAnswer json(String json) {
        return status(200).withBody(json).withHeader("content-type", "application/json");
    }

    /** This status and an empty body. */
    public static StubAnswer status(int status) {
        return new StubAnswer(status, List.of(), new byte[0], Duration.ZERO);
    }

    public StubAnswer withStatus(int status) {
        return new StubAnswer(status, headers, body, delay);
    }

    public StubAnswer withBody(String body) {
        return withBody(body.getBytes(StandardCharsets.UTF_8));
    }

    public StubAnswer withBody(byte[] body) {
        return new StubAnswer(status, headers, body, delay);
    }

    /** Adds a header (a second value of the same name is a second header line). */
    public StubAnswer withHeader(String name, String value) {
        List<Map.Entry<String, String>> more = new ArrayList<>(headers);
        more.add(Map.entry(name, value));
        return new StubAnswer(status, more, body, delay);
    }

    /** Waits this long after the request arrived before answering; the connection's later requests wait too. */
    public StubAnswer withDelay(Duration delay) {
        return new StubAnswer(status, headers, body, delay);
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StubAnswer a && status == a.status && headers.equals(a.headers)
                && java.util.Arrays.equals(body, a.body) && delay.equals(a.delay);
    }

    @Override
    public int hashCode() {
        return Objects.hash(status, headers, java.util.Arrays.hashCode(body), delay);
    }

    @Override
    public String toString() {
        return status + " (" + body.length + " bytes" + (delay.isZero() ? "" : ", after " + delay.toMillis() + " ms") + ")";
    }
}
