package dev.meshunit.config.load.internal;

import dev.meshunit.config.HttpMatchRequest;
import dev.meshunit.config.HttpRoute;
import dev.meshunit.config.StringMatch;
import dev.meshunit.config.VirtualService;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Webhook rules for the top of a VirtualService, and the unreachable-rule analyzers (IST0130, IST0131). */
public final class VirtualServiceChecks {
    private VirtualServiceChecks() {}

    public static void check(VirtualService vs, Report r) {
        boolean delegate = vs.hosts().isEmpty();
        if (delegate) {
            if (!vs.gateways().isEmpty()) r.error("gateways", "delegate virtual service must have no gateways specified");
            if (!vs.tls().isEmpty()) r.error("tls", "delegate virtual service must have no tls route specified");
            if (!vs.tcp().isEmpty()) r.error("tcp", "delegate virtual service must have no tcp route specified");
            r.notActedOn("hosts", NotActedOn.DELEGATE);
        }
        boolean gateway = vs.gateways().stream().anyMatch(g -> !g.equals("mesh"));
        GatewayNames.check(vs.gateways(), "gateways", r);
        if (!gateway) jwtClaims(vs, r);
        hosts(vs, r, gateway);
        if (vs.http().isEmpty() && vs.tcp().isEmpty() && vs.tls().isEmpty()) {
            r.error("", "http, tcp or tls must be provided in virtual service");
        }
        for (int i = 0; i < vs.http().size(); i++) HttpRouteChecks.check(vs.http().get(i), "http[" + i + "]", r, delegate);
        L4RouteChecks.tls(vs, gateway, r);
        L4RouteChecks.tcp(vs.tcp(), r);
        ExportTo.check(vs.exportTo(), vs.metadata().namespace(), r, false, false);
        if (!vs.appliesToSidecars()) r.notActedOn("gateways", NotActedOn.GATEWAYS);
        unreachable(vs.http(), r);
    }

    private static void jwtClaims(VirtualService vs, Report r) {
        for (int i = 0; i < vs.http().size(); i++) {
            for (int j = 0; j < vs.http().get(i).match().size(); j++) {
                HttpMatchRequest m = vs.http().get(i).match().get(j);
                String p = "http[" + i + "].match[" + j + "]";
                for (String key : m.headers().keySet()) jwtClaim(r, p + ".headers." + key, key, vs);
                for (String key : m.withoutHeaders().keySet()) jwtClaim(r, p + ".withoutHeaders." + key, key, vs);
            }
        }
    }

    private static void jwtClaim(Report r, String path, String key, VirtualService vs) {
        if (key.startsWith(HeaderChecks.JWT_CLAIM)) {
            r.error(path, "JWT claim based routing (key: " + key + ") is only supported for gateway, found no gateways: " + vs.gateways());
        }
    }

    /** Hosts are (wildcard) DNS names or IPs; * only for gateways; no two may overlap. */
    private static void hosts(VirtualService vs, Report r, boolean gateway) {
        boolean sni = !vs.tls().isEmpty();
        boolean allValid = true;
        for (int i = 0; i < vs.hosts().size(); i++) {
            String host = vs.hosts().get(i);
            String path = "hosts[" + i + "]";
            String problem = gateway && sni && host.startsWith("outbound_") ? L4RouteChecks.autoSni(host) : IstioNames.wildcardDomain(host);
            if (problem != null) {
                if (!IstioNames.isIp(host)) {
                    r.error(path, problem);
                    allValid = false;
                }
            } else if (!gateway && host.equals("*")) {
                r.error(path, "wildcard host * is not allowed for virtual services bound to the mesh gateway");
                allValid = false;
            }
        }
        if (!allValid) return;
        for (int i = 0; i < vs.hosts().size(); i++) {
            for (int j = i + 1; j < vs.hosts().size(); j++) {
                if (IstioHosts.matches(vs.hosts().get(i), vs.hosts().get(j))) {
                    r.error("hosts[" + j + "]", "duplicate hosts in virtual service: " + vs.hosts().get(i) + " & " + vs.hosts().get(j));
                }
            }
        }
    }

    /** Istio stops emitting routes after the first catch-all, so rules after it never match. */
    private static void unreachable(List<HttpRoute> http, Report r) {
        Set<HttpMatchRequest> earlier = new HashSet<>();
        String catchAll = null;
        for (int i = 0; i < http.size(); i++) {
            HttpRoute route = http.get(i);
            String path = "http[" + i + "]";
            if (catchAll != null) {
                r.warning(path, "VirtualService rule #" + i + " not used (only the last rule can have no matches; "
                        + catchAll + " matches every request)", "IST0130");
                continue;
            }
            for (int j = 0; j < route.match().size(); j++) {
                HttpMatchRequest m = withoutName(route.match().get(j));
                if (!earlier.add(m)) {
                    r.warning(path + ".match[" + j + "]", "VirtualService rule #" + i + " match #" + j
                            + " not used (an earlier match is identical)", "IST0131");
                }
            }
            if (route.match().isEmpty() || route.match().stream().anyMatch(VirtualServiceChecks::matchesAll)) {
                catchAll = path;
            }
        }
    }

    private static boolean matchesAll(HttpMatchRequest m) {
        return withoutName(m).equals(withoutName(new HttpMatchRequest(null, m.uri() != null && isRoot(m.uri()) ? m.uri() : null,
                null, null, null, null, null, null, m.ignoreUriCase(), null, null, null, null, null)));
    }

    private static boolean isRoot(StringMatch uri) {
        return uri.kind() == StringMatch.Kind.PREFIX && (uri.value().equals("/") || uri.value().isEmpty())
                || uri.kind() == StringMatch.Kind.REGEX && uri.value().equals(".*");
    }

    private static HttpMatchRequest withoutName(HttpMatchRequest m) {
        return new HttpMatchRequest(null, m.uri(), m.scheme(), m.method(), m.authority(), m.headers(), m.withoutHeaders(),
                m.queryParams(), m.ignoreUriCase(), m.port(), m.sourceLabels(), m.sourceNamespace(), m.gateways(), null);
    }
}
