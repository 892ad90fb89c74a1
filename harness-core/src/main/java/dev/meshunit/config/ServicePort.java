package dev.meshunit.config;

/** A port of a ServiceEntry; the protocol decides whether HTTP rules apply. */
public record ServicePort(int number, String protocol, String name, Integer targetPort) {
    public boolean isHttp() {
        String p = protocol == null ? "" : protocol.toUpperCase();
        return p.isEmpty() || p.equals("HTTP") || p.equals("HTTP2") || p.equals("GRPC") || p.equals("GRPC-WEB");
    }
}
