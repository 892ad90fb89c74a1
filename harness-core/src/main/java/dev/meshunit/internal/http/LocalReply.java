package dev.meshunit.internal.http;

import dev.meshunit.internal.router.UpstreamFailure;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * An answer the proxy makes itself (Envoy's local reply): a route's direct response or redirect, a fault
 * abort, an error of the router, or a request the codec could not read. Every one goes downstream the same
 * way, through {@link ActiveStream#sendLocalReply}.
 *
 * @param headers extra headers, or null
 */
public record LocalReply(int status, byte[] body, String contentType, Consumer<HeaderMap> headers) {
    /** Envoy's bodies. */
    public static final String NO_HEALTHY_UPSTREAM = "no healthy upstream";
    public static final String TIMEOUT = "upstream request timeout";
    public static final String FAULT_ABORT = "fault filter abort";
    public static final String OVERFLOW = resetBeforeHeaders("overflow");

    /** The header of a 404 NR that says which route came closest, and why it missed. */
    public static final String NEAREST_ROUTE_HEADER = "x-meshunit-nearest-route";

    /** Envoy's 404 NR (empty body), with {@link #NEAREST_ROUTE_HEADER}: printable ASCII, so any client takes it. */
    public static LocalReply noRoute(String nearestRoute) {
        String value = nearestRoute.replaceAll("[^\\x20-\\x7e]", "?");
        return text(404, "", h -> h.set(NEAREST_ROUTE_HEADER, value));
    }

    /**
     * Envoy's {@code upgrade_failed}: 403 to an upgrade its connection manager has no {@code upgrade_configs} for,
     * and the connection closed after it, so that no upgrade payload is read as a request.
     */
    public static LocalReply upgradeFailed() {
        return text(403, "", h -> h.set("connection", "close"));
    }

    /** A plain-text reply; an empty body has no content type. */
    public static LocalReply text(int status, String body) {
        return text(status, body, null);
    }

    public static LocalReply text(int status, String body, Consumer<HeaderMap> headers) {
        return new LocalReply(status, body.getBytes(StandardCharsets.UTF_8), body.isEmpty() ? null : "text/plain", headers);
    }

    /** Envoy's answer when the last attempt ended without a response head. */
    public static LocalReply upstreamFailure(UpstreamFailure failure, String detail) {
        return switch (failure) {
            case CONNECT_FAILURE -> text(503, resetBeforeHeaders("connection failure, " + detail));
            case PROTOCOL_ERROR -> text(503, resetBeforeHeaders("protocol error"));
            case PER_TRY_TIMEOUT -> text(504, TIMEOUT);
            case RESET, RESET_BEFORE_REQUEST -> text(503, resetBeforeHeaders("connection termination"));
        };
    }

    public static String resetBeforeHeaders(String reason) {
        return "upstream connect error or disconnect/reset before headers. reset reason: " + reason;
    }
}
