package dev.meshunit.config.load.internal;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Istio's webhook rules for a Gateway (ValidateGateway, validateServer, validateServerPort, validateTLSOptions),
 * checked on the YAML as written: MeshUnit does not apply Gateways, but {@code meshunit validate} should not
 * pass one that {@code kubectl apply} would refuse.
 */
final class GatewayChecks {
    private static final Set<String> HTTP = Set.of("HTTP", "HTTP2", "HTTP_PROXY", "GRPC", "GRPC-WEB");

    private GatewayChecks() {}

    static void check(String name, RawView spec, Ctx ctx) {
        if (!IstioNames.isDns1123Label(name)) ctx.error("metadata.name", spec.mark(), "invalid gateway name: \"" + name + "\"");
        List<RawView> servers = spec.items("servers");
        if (servers.isEmpty()) ctx.error("servers", spec.mark(), "gateway must have at least one server");
        Set<String> portNames = new HashSet<>();
        for (RawView server : servers) {
            server(server, ctx);
            if (server.has("port")) {
                String portName = server.child("port").string("name");
                if (!portNames.add(portName)) {
                    ctx.error(server.path() + ".port.name", server.child("port").mark(),
                            "port names in servers must be unique: duplicate name " + portName);
                }
                if (!HTTP.contains(protocol(server)) && server.child("tls").flag("httpsRedirect")) {
                    ctx.warning(server.path() + ".tls.httpsRedirect", server.mark(), "tls.httpsRedirect should only be used with http servers", null);
                }
            }
        }
    }

    private static String protocol(RawView server) {
        return server.child("port").string("protocol").toUpperCase();
    }

    private static void server(RawView s, Ctx ctx) {
        List<String> hosts = s.strings("hosts");
        if (hosts.isEmpty()) ctx.error(s.path() + ".hosts", s.mark(), "server config must contain at least one host");
        for (int i = 0; i < hosts.size(); i++) {
            String problem = SidecarHosts.gatewayHost(hosts.get(i));
            if (problem != null) ctx.error(s.path() + ".hosts[" + i + "]", s.items("hosts").get(i).mark(), problem);
        }
        String bind = s.string("bind");
        boolean portValid = port(s, bind, ctx);
        if (bind.startsWith("unix://")) {
            String path = bind.substring("unix://".length());
            if (path.isEmpty() || !path.startsWith("@") && (!path.startsWith("/") || path.endsWith("/"))) {
                ctx.error(s.path() + ".bind", s.mark(), (path.isEmpty() ? "unix address must not be empty" : path + " is not an absolute path to a file"));
            }
            if (s.has("port") && s.child("port").number("number") != 0) {
                ctx.error(s.path() + ".port.number", s.mark(), "port number must be 0 for unix domain socket");
            }
        } else if (!bind.isEmpty() && !IstioNames.isIp(bind)) {
            ctx.error(s.path() + ".bind", s.mark(), bind + " is not a valid IP");
        }
        if (s.has("tls")) GatewayTls.check(s.child("tls"), ctx);
        if (!portValid) return;
        String p = protocol(s);
        boolean tlsProtocol = p.equals("HTTPS") || p.equals("TLS");
        RawView tls = s.child("tls");
        if (tlsProtocol && !s.has("tls")) {
            ctx.error(s.path() + ".tls", s.mark(), "server must have TLS settings for HTTPS/TLS protocols");
        } else if (!tlsProtocol && s.has("tls")) {
            if (HTTP.contains(p)) {
                if (!GatewayTls.passthrough(tls) || !tls.string("caCertificates").isEmpty()
                        || !tls.string("privateKey").isEmpty() || !tls.string("serverCertificate").isEmpty()) {
                    ctx.error(s.path() + ".tls", tls.mark(), "server cannot have TLS settings for plain text HTTP ports");
                }
            } else {
                ctx.error(s.path() + ".tls", tls.mark(), "server cannot have TLS settings for non HTTPS/TLS ports");
            }
        }
    }

    private static boolean port(RawView s, String bind, Ctx ctx) {
        if (!s.has("port")) {
            ctx.error(s.path() + ".port", s.mark(), "port is required");
            return false;
        }
        RawView port = s.child("port");
        boolean ok = true;
        String protocol = port.string("protocol").toUpperCase();
        if (!ServiceEntryChecks.PROTOCOLS.contains(protocol)) {
            ctx.error(port.path() + ".protocol", port.mark(), "invalid protocol \"" + port.string("protocol")
                    + "\", supported protocols are HTTP, HTTP2, GRPC, GRPC-WEB, MONGO, REDIS, MYSQL, TCP");
            ok = false;
        }
        long number = port.number("number");
        if ((number > 0 || !bind.startsWith("unix://")) && (number < 1 || number > 65535)) {
            ctx.error(port.path() + ".number", port.mark(), "port number " + number + " must be in the range 1..65535");
            ok = false;
        }
        if (port.number("targetPort") > 0) {
            ctx.error(port.path() + ".targetPort", port.mark(), "targetPort has no impact on Gateways");
            ok = false;
        }
        if (port.string("name").isEmpty()) {
            ctx.error(port.path() + ".name", port.mark(), "port name must be set");
            ok = false;
        }
        return ok;
    }
}
