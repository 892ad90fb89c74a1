package dev.meshunit.fault;

import dev.meshunit.routing.RequestView;
import java.util.Locale;
import java.util.Objects;

/**
 * What makes two downstream requests the same logical call, so that a client's retries are recognised as
 * tries of one call. The fault filter decides on the request head; only {@link #methodPathAndBody()} makes it
 * wait for the body (kept up to the proxy's retry buffer bound; a larger body counts as method and path only).
 */
public sealed interface CallKey {

    /** The key of a request, or null when the request carries none (it is then a call of its own). */
    String of(RequestView request);

    static CallKey header(String name) {
        return new Header(name);
    }

    static CallKey methodAndPath() {
        return new MethodAndPath();
    }

    /** Method, authority, path and a digest of the body: one call per distinct payload, e.g. a POST of an order. */
    static CallKey methodPathAndBody() {
        return new MethodPathAndBody();
    }

    /** Whether the fault filter must read the whole body before it can key the request. */
    default boolean needsBody() {
        return false;
    }

    /** A header such as {@code idempotency-key} or {@code x-request-id} that the client keeps across retries. */
    record Header(String name) implements CallKey {
        public Header {
            Objects.requireNonNull(name, "name");
            if (name.isBlank()) throw new IllegalArgumentException("header name must not be blank");
            name = name.toLowerCase(Locale.ROOT);
        }

        /** For a gRPC call, the service and method too: one key value may be sent with calls of several methods. */
        @Override
        public String of(RequestView request) {
            String value = request.header(name);
            String type = request.header("content-type");
            if (value == null || type == null || !type.startsWith("application/grpc")) return value;
            return request.path() + " " + value;
        }
    }

    /** Method, authority, path and body digest (see {@link RequestView#bodyDigest()}). */
    record MethodPathAndBody() implements CallKey {
        @Override
        public String of(RequestView request) {
            String digest = request.bodyDigest();
            return request.method() + " " + request.authority() + request.path() + (digest == null ? "" : " #" + digest);
        }

        @Override
        public boolean needsBody() {
            return true;
        }
    }

    /** Method, authority and path: right when a client does not send the same request twice for other reasons. */
    record MethodAndPath() implements CallKey {
        @Override
        public String of(RequestView request) {
            return request.method() + " " + request.authority() + request.path();
        }
    }
}
