package dev.meshunit.chaos;

import java.util.Locale;

/** Toxiproxy's {@code stream}: upstream is client to server bytes, downstream is server to client bytes. */
public enum Direction {
    UPSTREAM,
    DOWNSTREAM;

    /** The lower-case wire form. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses case-insensitively, as Toxiproxy does. */
    public static Direction parse(String stream) {
        return switch (stream.toLowerCase(Locale.ROOT)) {
            case "upstream" -> UPSTREAM;
            case "downstream" -> DOWNSTREAM;
            default -> throw ChaosException.badRequest("stream was invalid, can be either upstream or downstream");
        };
    }
}
