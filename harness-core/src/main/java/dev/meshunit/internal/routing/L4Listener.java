package dev.meshunit.internal.routing;

/**
 * A listener that proxies TCP: one per opaque (TCP, TLS, HTTPS, MONGO...) port of a service, named
 * {@code host:port}, or one per port a gateway's {@code tcp:}/{@code tls:} rules match on, named
 * {@code gateway:port}. {@code service} is the FQDN (null for a gateway listener), {@code gateway} the
 * gateway's name (null for a service listener); {@code tls} says whether the first bytes are read as a TLS
 * ClientHello for its SNI.
 */
public record L4Listener(String name, String service, String gateway, int port, boolean tls) {
    public static L4Listener forService(String name, String fqdn, int port, boolean tls) {
        return new L4Listener(name, fqdn, null, port, tls);
    }

    public static L4Listener forGateway(String gateway, int port, boolean tls) {
        return new L4Listener(gateway + ":" + port, null, gateway, port, tls);
    }
}
