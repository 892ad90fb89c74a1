package dev.meshunit.config.load.internal;

import dev.meshunit.config.L4MatchAttributes;
import dev.meshunit.config.L4Route;
import dev.meshunit.config.VirtualService;
import java.util.List;
import java.util.regex.Pattern;

/** Istio's webhook rules for {@code tls:} and {@code tcp:} rules (validateTLSRoute, validateTCPRoute). */
final class L4RouteChecks {
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

    private L4RouteChecks() {}

    static void check(VirtualService vs, Report r) {
        routes(vs, "tls", vs.tls(), r);
        routes(vs, "tcp", vs.tcp(), r);
    }

    private static void routes(VirtualService vs, String field, List<L4Route> routes, Report r) {
        boolean tls = field.equals("tls");
        for (int i = 0; i < routes.size(); i++) {
            L4Route route = routes.get(i);
            String path = field + "[" + i + "]";
            if (tls && route.match().isEmpty()) r.error(path + ".match", "TLS route must have at least one match condition");
            for (int j = 0; j < route.match().size(); j++) match(vs, route.match().get(j), path + ".match[" + j + "]", tls, r);
            if (route.route().isEmpty()) r.error(path + ".route", (tls ? "TLS" : "TCP") + " route is required");
            int total = 0;
            for (int k = 0; k < route.route().size(); k++) {
                String p = path + ".route[" + k + "]";
                Checks.destination(r, p + ".destination", route.route().get(k).destination());
                Integer w = route.route().get(k).weight();
                if (w != null && w < 0) r.error(p + ".weight", "weight " + w + " < 0");
                if (w != null && w > 0) total += w;
            }
            if (route.route().size() > 1 && total == 0) r.error(path + ".route", "total destination weight = 0");
        }
    }

    private static void match(VirtualService vs, L4MatchAttributes m, String path, boolean tls, Report r) {
        if (tls && m.sniHosts().isEmpty()) r.error(path + ".sniHosts", "TLS match must have at least one SNI host");
        for (int k = 0; k < m.sniHosts().size(); k++) {
            String sni = m.sniHosts().get(k);
            if (vs.hosts().stream().noneMatch(h -> subsetOf(sni, h))) {
                r.error(path + ".sniHosts[" + k + "]", "SNI host \"" + sni + "\" is not a compatible subset of any of the virtual service hosts: ["
                        + String.join(", ", vs.hosts()) + "]");
            }
        }
        for (int k = 0; k < m.destinationSubnets().size(); k++) {
            String s = m.destinationSubnets().get(k);
            if (!subnet(s)) {
                r.error(path + ".destinationSubnets[" + k + "]", "\"" + s + "\" is not a valid IP address or CIDR block (e.g. 10.0.0.0/16)");
            }
        }
        if (m.port() != null && m.port() != 0) Checks.port(r, path + ".port", m.port());
        if (m.sourceNamespace() != null) r.notActedOn(path + ".sourceNamespace", NotActedOn.SOURCE_NAMESPACE);
    }

    /** Istio's host.Name.SubsetOf: every name {@code a} covers is covered by {@code b}. */
    static boolean subsetOf(String a, String b) {
        if (b.equals("*")) return true;
        if (b.startsWith("*")) return a.startsWith("*") ? a.substring(1).endsWith(b.substring(1)) : a.endsWith(b.substring(1));
        return !a.startsWith("*") && a.equalsIgnoreCase(b);
    }

    private static boolean subnet(String s) {
        int slash = s.indexOf('/');
        String ip = slash < 0 ? s : s.substring(0, slash);
        boolean v4 = IPV4.matcher(ip).matches();
        if (!v4 && !IPV6.matcher(ip).matches()) return false;
        if (slash < 0) return true;
        try {
            int bits = Integer.parseInt(s.substring(slash + 1));
            return bits >= 0 && bits <= (v4 ? 32 : 128);
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
