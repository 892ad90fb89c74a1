package dev.meshunit.internal.routing;

import dev.meshunit.config.DeclaredHosts;
import dev.meshunit.config.HostNames;
import dev.meshunit.config.HttpMatchRequest;
import dev.meshunit.config.HttpRoute;
import dev.meshunit.config.IstioConfig;
import dev.meshunit.config.StringMatch;
import dev.meshunit.config.VirtualService;
import dev.meshunit.routing.RequestView;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Why a request got 404 NR, as WireMock's near-miss report says it: for a host no resource declares, the
 * declared hosts closest to it; for a host whose VirtualService has no matching rule, the rule that came
 * closest (fewest conditions unmet, an unmet path counting twice; the first of equals) and each condition it
 * missed. A pure function of
 * the config and the request.
 */
public final class NearestRoute {
    /** @param route {@code ratings/http[1]}, with {@code .match[j]} when the rule has several matches */
    public record NearMiss(String route, List<String> mismatches) {
        public NearMiss {
            mismatches = List.copyOf(mismatches);
        }

        @Override
        public String toString() {
            return "nearest route " + route + ": " + String.join("; ", mismatches);
        }
    }

    private NearestRoute() {}

    /** One line for a 404 NR answer or the journal, e.g. {@code nearest route ratings/http[0]: uri prefix "/v2/" ...}. */
    public static String explain(IstioConfig config, RouteOptions options, String host, int port, RequestView request) {
        List<VirtualService> services = virtualServices(config, options, host);
        if (services.isEmpty()) {
            List<String> near = DeclaredHosts.of(config).nearest(host, 3);
            return "no VirtualService routes host " + host + (near.isEmpty() ? "" : "; nearest declared: " + String.join(", ", near));
        }
        NearMiss best = null;
        for (VirtualService vs : services) {
            for (int i = 0; i < vs.http().size(); i++) {
                HttpRoute rule = vs.http().get(i);
                String name = vs.metadata().name() + "/http[" + i + "]";
                for (int j = 0; j < rule.match().size(); j++) {
                    String route = rule.match().size() == 1 ? name : name + ".match[" + j + "]";
                    NearMiss miss = new NearMiss(route, mismatches(rule.match().get(j), options, port, request));
                    if (best == null || score(miss) < score(best)) best = miss;
                }
            }
        }
        return best == null ? "the VirtualService of " + host + " has no http rule" : best.toString();
    }

    /** Unmet conditions, the path counting twice (as WireMock weighs the URL most): the first of equals wins. */
    private static int score(NearMiss miss) {
        return miss.mismatches().size() + (int) miss.mismatches().stream().filter(m -> m.startsWith("uri ")).count();
    }

    private static List<VirtualService> virtualServices(IstioConfig config, RouteOptions options, String host) {
        List<String> names = HostNames.candidates(host, options.sourceNamespace());
        List<VirtualService> out = new ArrayList<>();
        for (VirtualService vs : config.virtualServices()) {
            for (String h : vs.hosts()) {
                String fqdn = HostNames.fqdn(h, vs.metadata().namespace());
                if (names.stream().anyMatch(n -> n.equals(fqdn) || (fqdn.startsWith("*") && HostNames.matches(fqdn, n)))) {
                    out.add(vs);
                    break;
                }
            }
        }
        return out;
    }

    /** Every condition of one match that the request does not meet, in the order the match lists them. */
    static List<String> mismatches(HttpMatchRequest m, RouteOptions options, int port, RequestView r) {
        List<String> out = new ArrayList<>();
        if (!options.sourceLabels().entrySet().containsAll(m.sourceLabels().entrySet())) {
            out.add("sourceLabels " + m.sourceLabels() + " not met by the source " + options.sourceLabels());
        }
        if (m.port() != null && m.port() != port) out.add("port " + m.port() + " (was " + port + ")");
        check(out, "uri", m.uri(), m.ignoreCase(), r.path());
        check(out, "scheme", m.scheme(), false, r.scheme());
        check(out, "method", m.method(), false, r.method());
        check(out, "authority", m.authority(), false, r.authority());
        for (Map.Entry<String, StringMatch> h : m.headers().entrySet()) {
            check(out, "header " + h.getKey(), h.getValue(), false, r.header(h.getKey().toLowerCase(Locale.ROOT)));
        }
        for (Map.Entry<String, StringMatch> h : m.withoutHeaders().entrySet()) {
            String v = r.header(h.getKey().toLowerCase(Locale.ROOT));
            if (new StringMatcher(h.getValue(), false).matches(v == null ? "" : v)) {
                out.add("withoutHeaders " + h.getKey() + " {" + h.getValue() + "} matched " + quoted(v));
            }
        }
        for (Map.Entry<String, StringMatch> q : m.queryParams().entrySet()) {
            List<String> values = r.queryParam(q.getKey());
            check(out, "queryParams " + q.getKey(), q.getValue(), false, values.isEmpty() ? null : values.get(0));
        }
        return out;
    }

    private static void check(List<String> out, String what, StringMatch match, boolean ignoreCase, String value) {
        if (match != null && !new StringMatcher(match, ignoreCase).matches(value)) {
            out.add(what + " {" + match + "} did not match " + quoted(value));
        }
    }

    private static String quoted(String value) {
        return value == null ? "(absent)" : "\"" + value + "\"";
    }
}
