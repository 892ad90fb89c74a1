package dev.meshunit.config.load.internal;

import java.util.Set;

/** Istio's rules for a Sidecar's ingress and egress listeners: ports, binds, default endpoints, TLS, pools. */
final class SidecarListeners {
    private SidecarListeners() {}

    static void ingress(RawView in, Set<Long> ports, Ctx ctx) {
        if (!in.has("port")) {
            ctx.error(in.path() + ".port", in.mark(), "sidecar: port is required for ingress listeners");
            return;
        }
        RawView port = in.child("port");
        if (port.number("targetPort") > 0) ctx.error(port.path() + ".targetPort", port.mark(), "targetPort has no impact on Sidecars");
        portNameProtocolNumber(port, ctx);
        bind(in, ctx);
        if (!ports.add(port.number("number"))) ctx.error(port.path() + ".number", port.mark(), "sidecar: ports on IP bound listeners must be unique");
        String endpoint = in.string("defaultEndpoint");
        if (!endpoint.isEmpty()) defaultEndpoint(endpoint, in, ctx);
        if (in.has("tls")) {
            RawView tls = in.child("tls");
            if (!tls.items("subjectAltNames").isEmpty()) ctx.error(tls.path(), tls.mark(), "sidecar: subjectAltNames is not supported in ingress tls");
            if (tls.flag("httpsRedirect")) ctx.error(tls.path(), tls.mark(), "sidecar: httpsRedirect is not supported");
            if (!tls.string("credentialName").isEmpty()) ctx.error(tls.path(), tls.mark(), "sidecar: credentialName is not currently supported");
            if (!tls.items("credentialNames").isEmpty()) ctx.error(tls.path(), tls.mark(), "sidecar: credentialNames is not currently supported");
            if (!tls.items("tlsCertificates").isEmpty()) ctx.error(tls.path(), tls.mark(), "sidecar: tls_certificates is not currently supported");
            String mode = tls.string("mode");
            if (mode.equals("ISTIO_MUTUAL") || mode.equals("AUTO_PASSTHROUGH")) {
                ctx.error(tls.path() + ".mode", tls.mark(), "configuration is invalid: cannot set mode to " + mode + " in sidecar ingress tls");
            }
            String protocol = port.string("protocol").toUpperCase();
            if (!protocol.equals("HTTPS") && !protocol.equals("TLS")) {
                ctx.error(tls.path(), tls.mark(), "server cannot have TLS settings for non HTTPS/TLS ports");
            }
            GatewayTls.check(tls, ctx);
        }
        connectionPool(in.child("connectionPool"), ctx);
        String protocol = port.string("protocol").toUpperCase();
        if (in.child("connectionPool").has("http") && !Set.of("HTTP", "HTTP2", "HTTP_PROXY", "GRPC", "GRPC-WEB").contains(protocol)) {
            ctx.warning(in.path() + ".connectionPool.http", in.mark(), "sidecar: HTTP connection pool settings are configured for port "
                    + port.number("number") + " (\"" + port.string("name") + "\") but its protocol is not HTTP (" + port.string("protocol")
                    + "); only TCP settings will apply", null);
        }
    }

    static void egressPort(RawView e, Set<Long> ports, Set<String> sockets, Ctx ctx) {
        RawView port = e.child("port");
        if (port.number("targetPort") > 0) ctx.error(port.path() + ".targetPort", port.mark(), "targetPort has no impact on Sidecars");
        String bind = e.string("bind");
        String name = port.string("name");
        if (!name.isEmpty() && !IstioNames.isDns1123Label(name)) ctx.error(port.path() + ".name", port.mark(), "invalid port name: " + name);
        protocol(port, ctx);
        if (port.number("number") == 0) {
            if (!bind.startsWith("unix://")) {
                ctx.error(e.path() + ".bind", e.mark(), "sidecar: ports with 0 value must have a unix domain socket bind address");
            } else {
                unix(bind.substring("unix://".length()), e.path() + ".bind", e, ctx);
            }
            String capture = e.string("captureMode");
            if (!capture.isEmpty() && !capture.equals("DEFAULT") && !capture.equals("NONE")) {
                ctx.error(e.path() + ".captureMode", e.mark(), "sidecar: captureMode must be DEFAULT/NONE for unix domain socket listeners");
            }
            if (!sockets.add(bind)) ctx.error(e.path() + ".bind", e.mark(), "sidecar: unix domain socket values for listeners must be unique");
        } else {
            number(port, ctx);
            if (!bind.isEmpty() && !IstioNames.isIp(bind)) ctx.error(e.path() + ".bind", e.mark(), bind + " is not a valid IP");
            if (!ports.add(port.number("number"))) ctx.error(port.path() + ".number", port.mark(), "sidecar: ports on IP bound listeners must be unique");
        }
    }

    /** validateConnectionPool on the YAML: at least one of tcp or http. */
    static void connectionPool(RawView pool, Ctx ctx) {
        if (pool.node() != null && !pool.has("tcp") && !pool.has("http")) {
            ctx.error(pool.path(), pool.mark(), "connection pool must have at least one field");
        }
    }

    private static void portNameProtocolNumber(RawView port, Ctx ctx) {
        String name = port.string("name");
        if (!name.isEmpty() && !IstioNames.isDns1123Label(name)) ctx.error(port.path() + ".name", port.mark(), "invalid port name: " + name);
        protocol(port, ctx);
        number(port, ctx);
    }

    private static void protocol(RawView port, Ctx ctx) {
        String protocol = port.string("protocol");
        if (!protocol.isEmpty() && !ServiceEntryChecks.PROTOCOLS.contains(protocol.toUpperCase())) {
            ctx.error(port.path() + ".protocol", port.mark(), "unsupported protocol: " + protocol);
        }
    }

    private static void number(RawView port, Ctx ctx) {
        long n = port.number("number");
        if (n < 1 || n > 65535) ctx.error(port.path() + ".number", port.mark(), "port number " + n + " must be in the range 1..65535");
    }

    private static void bind(RawView listener, Ctx ctx) {
        String bind = listener.string("bind");
        if (!bind.isEmpty() && !IstioNames.isIp(bind)) ctx.error(listener.path() + ".bind", listener.mark(), bind + " is not a valid IP");
    }

    private static void defaultEndpoint(String endpoint, RawView in, Ctx ctx) {
        String p = in.path() + ".defaultEndpoint";
        if (endpoint.startsWith("unix://")) {
            unix(endpoint.substring("unix://".length()), p, in, ctx);
            return;
        }
        int colon = endpoint.lastIndexOf(':');
        String host = colon < 0 ? endpoint : endpoint.substring(0, colon);
        String port = colon < 0 ? "" : endpoint.substring(colon + 1);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        else if (host.contains(":")) {
            ctx.error(p, in.mark(), "address " + endpoint + ": too many colons in address");
        }
        if (colon < 0) ctx.error(p, in.mark(), "address " + endpoint + ": missing port in address");
        if (!host.isEmpty() && !Set.of("127.0.0.1", "0.0.0.0", "::1", "::").contains(host)) {
            ctx.error(p, in.mark(), "sidecar: defaultEndpoint must be of form 127.0.0.1:<port>,0.0.0.0:<port>,[::1]:port,[::]:port,unix://filepath or unset");
        }
        try {
            int n = Integer.parseInt(port);
            if (n < 1 || n > 65535) ctx.error(p, in.mark(), "port number " + n + " must be in the range 1..65535");
        } catch (NumberFormatException e) {
            ctx.error(p, in.mark(), "sidecar: defaultEndpoint port (" + port + ") is not a number");
        }
    }

    private static void unix(String path, String at, RawView where, Ctx ctx) {
        if (path.isEmpty()) ctx.error(at, where.mark(), "unix address must not be empty");
        else if (!path.startsWith("@") && (!path.startsWith("/") || path.endsWith("/"))) {
            ctx.error(at, where.mark(), path + " is not an absolute path to a file");
        }
    }
}
