package dev.meshunit.config;

/** Header manipulation on the way up (request) and on the way back (response). */
public record Headers(HeaderOperations request, HeaderOperations response) {
    public static final Headers NONE = new Headers(null, null);

    public Headers {
        request = request == null ? HeaderOperations.NONE : request;
        response = response == null ? HeaderOperations.NONE : response;
    }
}
