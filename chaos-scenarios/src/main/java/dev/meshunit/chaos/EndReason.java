package dev.meshunit.chaos;

/** Why a proxied TCP connection ended; the first cause observed wins. */
public enum EndReason {
    CLIENT_CLOSED,
    UPSTREAM_CLOSED,
    RESET_BY_TOXIC,
    TIMEOUT_TOXIC,
    LIMIT_DATA,
    PROXY_DISABLED,
    CONNECT_FAILED,
    SERVER_CLOSED
}
