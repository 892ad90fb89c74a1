package dev.meshunit.internal.http;

import java.nio.charset.StandardCharsets;

/**
 * Envoy's local replies to gRPC requests: a trailers-only answer, HTTP 200 with {@code grpc-status} mapped
 * from the HTTP code as Envoy's {@code Grpc::Utility::httpToGrpcStatus} maps it, and the body as
 * {@code grpc-message}. A reply that carries a {@code grpc-status} of its own (a gRPC fault abort) is kept.
 */
final class GrpcLocalReplies {
    private GrpcLocalReplies() {}

    static boolean grpc(RequestHead request) {
        String type = request.header("content-type");
        return type != null && type.startsWith("application/grpc");
    }

    /** The reply as a gRPC client gets it, or {@code reply} itself for other requests. */
    static LocalReply adapt(LocalReply reply, RequestHead request) {
        if (!grpc(request)) return reply;
        String message = new String(reply.body(), StandardCharsets.UTF_8);
        return new LocalReply(200, new byte[0], null, h -> {
            h.remove("content-length");
            h.set("content-type", "application/grpc");
            if (reply.headers() != null) reply.headers().accept(h);
            if (!h.contains("grpc-status")) {
                h.set("grpc-status", grpcStatus(reply.status()));
                if (!message.isEmpty()) h.set("grpc-message", message);
            }
        });
    }

    static int grpcStatus(int http) {
        return switch (http) {
            case 400 -> 13; // INTERNAL
            case 401 -> 16; // UNAUTHENTICATED
            case 403 -> 7; // PERMISSION_DENIED
            case 404 -> 12; // UNIMPLEMENTED
            case 429, 502, 503, 504 -> 14; // UNAVAILABLE
            default -> 2; // UNKNOWN
        };
    }
}
