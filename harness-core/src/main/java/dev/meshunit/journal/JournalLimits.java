package dev.meshunit.journal;

/**
 * What the journal may keep, in bytes as well as in exchanges. {@code maxBytes} bounds the estimated heap that
 * the retained exchanges take (and, separately, the mirrored copies with the answers kept for comparison):
 * past it the oldest are dropped, as past the capacity. {@code maxHeaders} and {@code maxHeaderBytes} cap the
 * request headers stored with one exchange (bytes counted as Envoy counts header size: names plus values); what
 * does not fit is left out and named in {@link Exchange#truncation()}. The defaults (16 MiB, 100 headers, 8 KiB)
 * keep a full journal of 10,000 exchanges under 40 MiB of heap whatever the clients send.
 */
public record JournalLimits(long maxBytes, int maxHeaders, int maxHeaderBytes) {
    public static final long DEFAULT_MAX_BYTES = 16L * 1024 * 1024;
    public static final int DEFAULT_MAX_HEADERS = 100;
    public static final int DEFAULT_MAX_HEADER_BYTES = 8 * 1024;
    public static final JournalLimits DEFAULT = new JournalLimits(DEFAULT_MAX_BYTES, DEFAULT_MAX_HEADERS, DEFAULT_MAX_HEADER_BYTES);

    public JournalLimits {
        if (maxBytes < 1) throw new IllegalArgumentException("journal maxBytes must be >= 1, got " + maxBytes);
        if (maxHeaders < 0) throw new IllegalArgumentException("journal maxHeaders must be >= 0, got " + maxHeaders);
        if (maxHeaderBytes < 0) throw new IllegalArgumentException("journal maxHeaderBytes must be >= 0, got " + maxHeaderBytes);
    }

    public JournalLimits withMaxBytes(long bytes) {
        return new JournalLimits(bytes, maxHeaders, maxHeaderBytes);
    }

    public JournalLimits withHeaderLimits(int headers, int headerBytes) {
        return new JournalLimits(maxBytes, headers, headerBytes);
    }
}
