package dev.meshunit.internal.netty;

/** Envoy's bodies for the answers the proxy makes itself. */
final class LocalReplies {
    static final String NO_HEALTHY_UPSTREAM = "no healthy upstream";
    static final String TIMEOUT = "upstream request timeout";
    static final String FAULT_ABORT = "fault filter abort";
    static final String OVERFLOW = "upstream connect error or disconnect/reset before headers. reset reason: overflow";

    private LocalReplies() {}

    static String resetBeforeHeaders(String reason) {
        return "upstream connect error or disconnect/reset before headers. reset reason: " + reason;
    }
}
