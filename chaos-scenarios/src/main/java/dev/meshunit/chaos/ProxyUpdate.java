package dev.meshunit.chaos;

/** A partial proxy update: {@code null} fields keep their current value. */
public record ProxyUpdate(String listen, String upstream, Boolean enabled) {
    public static ProxyUpdate enabled(boolean enabled) {
        return new ProxyUpdate(null, null, enabled);
    }
}
