package dev.meshunit.internal.upstream;

/**
 * What a consistent-hash balancer needs to know of the request: the hash of its key, or that it has none
 * (the key is missing, or the cluster does not hash), in which case the pick is random as in Envoy.
 */
public record RequestHash(boolean present, long value) {
    public static final RequestHash NONE = new RequestHash(false, 0);

    /** The hash of a key taken from the request (a header value, a cookie, the source IP, a query parameter). */
    public static RequestHash of(String key) {
        return new RequestHash(true, XxHash64.hash(key, 0));
    }
}
