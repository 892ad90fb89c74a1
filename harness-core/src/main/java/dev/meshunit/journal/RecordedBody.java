package dev.meshunit.journal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The first bytes of a body, as {@code MeshProxy.Builder.recordBodies(n)} keeps them: {@code bytes} holds at most
 * {@code n} bytes, {@code totalBytes} counts all that passed, and {@code truncated} says that more passed than kept.
 */
public record RecordedBody(byte[] bytes, long totalBytes, boolean truncated) {
    public RecordedBody {
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The kept bytes as UTF-8 text (a multi-byte character cut by the bound shows as U+FFFD). */
    public String text() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /**
     * The JSON value at {@code path}, a JSON Pointer ({@code /items/0/id}) or a simple path ({@code $.items[0].id}):
     * strings unquoted, numbers and booleans as written, objects and arrays as JSON; null when nothing is there.
     *
     * @throws IllegalStateException when the recorded bytes are not JSON (say so if they were truncated)
     */
    public String json(String path) {
        return BodyJson.at(this, path);
    }

    /** The kept bytes themselves, for the journal's packing, which only reads them (no copy per exchange). */
    byte[] keptBytes() {
        return bytes;
    }

    public int recordedBytes() {
        return bytes.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RecordedBody r && Arrays.equals(r.bytes, bytes) && r.totalBytes == totalBytes
                && r.truncated == truncated;
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(bytes) + Long.hashCode(totalBytes);
    }

    @Override
    public String toString() {
        return "RecordedBody[" + bytes.length + " of " + totalBytes + " bytes" + (truncated ? ", truncated]" : "]");
    }
}
