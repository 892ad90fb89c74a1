package dev.meshunit.internal.router;

import dev.meshunit.journal.ResponseFlag;

/** Why an attempt ended without a response head, and Envoy's response flag for it. */
public enum UpstreamFailure {
    /** The TCP connection could not be made. */
    CONNECT_FAILURE(ResponseFlag.UF),
    /** The connection dropped before the whole request was written. */
    RESET_BEFORE_REQUEST(ResponseFlag.UC),
    /** The connection dropped after the request was sent, before a response head. */
    RESET(ResponseFlag.UC),
    /** The upstream sent bytes that are not an HTTP response. */
    PROTOCOL_ERROR(ResponseFlag.UPE),
    /** No response head within the per-try timeout. */
    PER_TRY_TIMEOUT(ResponseFlag.UT);

    private final ResponseFlag flag;

    UpstreamFailure(ResponseFlag flag) {
        this.flag = flag;
    }

    public ResponseFlag flag() {
        return flag;
    }
}
