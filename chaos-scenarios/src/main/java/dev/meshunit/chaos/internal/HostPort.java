package dev.meshunit.chaos.internal;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

/** {@code host:port} as Go writes and parses it: IPv6 literals in brackets, empty host allowed. */
public record HostPort(String host, int port) {

    public static HostPort parse(String address) {
        int colon = address == null ? -1 : address.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("address " + address + ": missing port in address");
        }
        String host = address.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(address.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("address " + address + ": invalid port");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("address " + address + ": invalid port");
        }
        return new HostPort(host, port);
    }

    public static String format(SocketAddress address) {
        if (!(address instanceof InetSocketAddress inet)) {
            return String.valueOf(address);
        }
        String host = inet.getAddress() != null ? inet.getAddress().getHostAddress() : inet.getHostString();
        int zone = host.indexOf('%');
        if (zone >= 0) {
            host = host.substring(0, zone);
        }
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + inet.getPort();
    }
}
