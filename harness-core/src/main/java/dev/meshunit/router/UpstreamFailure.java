package dev.meshunit.router;

/** Why an attempt ended without a response head. */
public enum UpstreamFailure {
    /** The TCP connection could not be made. */
    CONNECT_FAILURE,
    /** The connection dropped before the whole request was written. */
    RESET_BEFORE_REQUEST,
    /** The connection dropped after the request was sent, before a response head. */
    RESET,
    /** The upstream sent bytes that are not an HTTP/1.1 response. */
    PROTOCOL_ERROR,
    /** No response head within the per-try timeout. */
    PER_TRY_TIMEOUT
}
