package dev.meshunit.config.load.internal;

import dev.meshunit.config.L4MatchAttributes;
import dev.meshunit.config.L4Route;
import dev.meshunit.config.RouteDestination;
import dev.meshunit.config.VirtualService;
import java.util.List;

/** Istio's rules for {@code tls} and {@code tcp} routes (validateTLSRoute, validateTCPRoute). */
final class L4RouteChecks {
    private L4RouteChecks() {}

    static void tls(VirtualService vs, boolean gateway, Report r) {
        for (int i = 0; i < vs.tls().size(); i++) {
            L4Route route = vs.tls().get(i);
            String path = "tls[" + i + "]";
            if (route.match().isEmpty()) r.error(path + ".match", "TLS route must have at least one match condition");
            for (int j = 0; j < route.match().size(); j++) {
                L4MatchAttributes m = route.match().get(j);
                String p = path + ".match[" + j + "]";
                if (m.sniHosts().isEmpty()) r.error(p + ".sniHosts", "TLS match must have at least one SNI host");
                for (int k = 0; k < m.sniHosts().size(); k++) sniHost(vs, gateway, m.sniHosts().get(k), p + ".sniHosts[" + k + "]", r);
                match(m, p, r);
            }
            if (route.route().isEmpty()) r.error(path + ".route", "TLS route is required");
            destinations(route.route(), path, r);
        }
    }

    static void tcp(List<L4Route> routes, Report r) {
        for (int i = 0; i < routes.size(); i++) {
            L4Route route = routes.get(i);
            String path = "tcp[" + i + "]";
            for (int j = 0; j < route.match().size(); j++) match(route.match().get(j), path + ".match[" + j + "]", r);
            if (route.route().isEmpty()) r.error(path + ".route", "TCP route is required");
            destinations(route.route(), path, r);
        }
    }

    private static void sniHost(VirtualService vs, boolean gateway, String sni, String path, Report r) {
        String problem = gateway && sni.startsWith("outbound_") ? autoSni(sni) : IstioNames.wildcardDomain(sni);
        if (problem != null) {
            if (IstioNames.isIp(sni)) {
                r.warning(path, "using an IP address (\"" + sni + "\") goes against SNI spec and most clients do not support this");
            } else {
                r.error(path, problem);
            }
            return;
        }
        if (vs.hosts().stream().noneMatch(h -> IstioHosts.subsetOf(sni, h))) {
            r.error(path, "SNI host \"" + sni + "\" is not a compatible subset of any of the virtual service hosts: ["
                    + String.join(", ", vs.hosts()) + "]");
        }
    }

    /** Gateways in AUTO_PASSTHROUGH mode see SNI names like {@code outbound_.80_._.reviews.default.svc.cluster.local}. */
    static String autoSni(String domain) {
        String[] parts = domain.split("_", -1);
        if (parts.length < 4) return "domain name " + domain + " invalid, should follow 'outbound_.<port>_._.<hostname>' format";
        String port = parts[1].replaceAll("^\\.+|\\.+$", "");
        String host = parts[3].replaceAll("^\\.+|\\.+$", "");
        if (!port.matches(".*[0-9].*")) return "domain name \"" + domain + "\" invalid (label \"" + port + "\" invalid)";
        if (!host.matches(".*[a-zA-Z].*")) return "domain name \"" + domain + "\" invalid (label \"" + host + "\" invalid)";
        return null;
    }

    private static void match(L4MatchAttributes m, String p, Report r) {
        for (int k = 0; k < m.destinationSubnets().size(); k++) {
            String problem = IstioNames.ipSubnet(m.destinationSubnets().get(k));
            if (problem != null) r.error(p + ".destinationSubnets[" + k + "]", problem);
        }
        if (m.port() != null && m.port() != 0) Checks.port(r, p + ".port", m.port());
        WorkloadEntryChecks.labels(m.sourceLabels(), p + ".sourceLabels", r);
        GatewayNames.check(m.gateways(), p + ".gateways", r);
        if (m.sourceNamespace() != null) r.notActedOn(p + ".sourceNamespace", NotActedOn.SOURCE_NAMESPACE);
        if (m.sourceSubnet() != null) r.notActedOn(p + ".sourceSubnet", NotActedOn.SOURCE_SUBNET);
    }

    private static void destinations(List<RouteDestination> route, String path, Report r) {
        int total = 0;
        for (int k = 0; k < route.size(); k++) {
            String p = path + ".route[" + k + "]";
            RouteDestination d = route.get(k);
            if (d.destination() == null) r.error(p + ".destination", "destination is required");
            Checks.destination(r, p + ".destination", d.destination());
            int w = d.weight() == null ? 0 : d.weight();
            if (w < 0) r.error(p + ".weight", "must be >= 0, got " + w);
            total += w;
        }
        if (route.size() > 1 && total == 0) r.error(path + ".route", "total destination weight = 0");
    }
}
