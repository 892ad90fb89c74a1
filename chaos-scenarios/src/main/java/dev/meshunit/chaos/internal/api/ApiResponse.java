package dev.meshunit.chaos.internal.api;

/** A status and a JSON body (empty for 204). */
public record ApiResponse(int status, String body) {
    public static ApiResponse noContent() {
        return new ApiResponse(204, "");
    }
}
