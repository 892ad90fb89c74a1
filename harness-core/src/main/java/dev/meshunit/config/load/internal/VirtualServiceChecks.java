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
        boolean delegateTarget = vs.hosts().isEmpty() && vs.gateways().isEmpty();
        if (vs.hosts().isEmpty() && !delegateTarget) r.error("hosts", "virtual service must have at least one host");
        if (vs.hosts().isEmpty() && delegateTarget) r.notActedOn("hosts", NotActedOn.DELEGATE);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < vs.hosts().size(); i++) {
            String host = vs.hosts().get(i);
            String path = "hosts[" + i + "]";
            if (host.equals("*") && vs.appliesToSidecars()) {
                r.error(path, "wildcard host * is not allowed for virtual services bound to the mesh gateway");
            } else if (!host.equals("*")) {
                Checks.host(r, path, host);
            }
            if (!seen.add(host)) r.error(path, "duplicate host " + host);
        }
        if (vs.http().isEmpty() && vs.tcp().isEmpty() && vs.tls().isEmpty()) {
            r.error("", "http, tcp or tls must be provided in virtual service");
        }
        if (!vs.appliesToSidecars()) r.notActedOn("gateways", NotActedOn.GATEWAYS);
        if (!vs.exportTo().isEmpty()) r.notActedOn("exportTo", NotActedOn.EXPORT_TO);
        L4RouteChecks.check(vs, r);
        for (int i = 0; i < vs.http().size(); i++) HttpRouteChecks.check(vs.http().get(i), "http[" + i + "]", r);
        unreachable(vs.http(), r);
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
