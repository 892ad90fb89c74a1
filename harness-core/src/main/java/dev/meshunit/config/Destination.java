package dev.meshunit.config;

/** Where a route sends traffic: a service host, optionally a DestinationRule subset and a port. */
public record Destination(String host, String subset, Integer port) {
    public static Destination of(String host) {
        return new Destination(host, null, null);
    }

    public static Destination of(String host, String subset) {
        return new Destination(host, subset, null);
    }
}
