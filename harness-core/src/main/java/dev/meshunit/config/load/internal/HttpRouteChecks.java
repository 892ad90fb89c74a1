package dev.meshunit.config.load.internal;

import dev.meshunit.config.HeaderOperations;
import dev.meshunit.config.Headers;
import dev.meshunit.config.HttpMatchRequest;
import dev.meshunit.config.HttpMirrorPolicy;
import dev.meshunit.config.HttpRoute;
import dev.meshunit.config.HttpRouteDestination;
import dev.meshunit.config.StringMatch;
import java.util.Map;

/** Webhook rules for one {@code http[]} rule: action, matches, destinations, mirrors and headers. */
final class HttpRouteChecks {
    private HttpRouteChecks() {}

    static void check(HttpRoute h, String path, Report r) {
        action(h, path, r);
        for (int j = 0; j < h.match().size(); j++) match(h.match().get(j), path + ".match[" + j + "]", r);
        destinations(h, path, r);
        mirrors(h, path, r);
        headers(h.headers(), path + ".headers", r);
        Checks.duration(r, path + ".timeout", h.timeout());
        ActionChecks.redirect(h, path, r);
        ActionChecks.directResponse(h.directResponse(), path + ".directResponse", r);
        ActionChecks.rewrite(h, path, r);
        ResilienceChecks.retries(h, path, r);
        ResilienceChecks.fault(h.fault(), path + ".fault", r);
        if (h.delegate() != null) r.notActedOn(path + ".delegate", NotActedOn.DELEGATE);
        if (h.corsPolicy() != null) r.notActedOn(path + ".corsPolicy", NotActedOn.CORS);
    }

    private static void action(HttpRoute h, String path, Report r) {
        boolean route = !h.route().isEmpty();
        boolean redirect = h.redirect() != null;
        boolean direct = h.directResponse() != null;
        if (!route && !redirect && !direct && h.delegate() == null) {
            r.error(path, "HTTP route, redirect or direct response is required");
        }
        if (route && redirect) r.error(path + ".redirect", "HTTP route cannot contain both route and redirect");
        if (redirect && h.fault() != null) r.error(path + ".fault", "HTTP route cannot contain both fault and redirect");
        if (redirect && h.rewrite() != null) r.error(path + ".rewrite", "HTTP route rule cannot contain both rewrite and redirect");
        if (direct && (route || h.fault() != null || h.rewrite() != null || redirect)) {
            r.error(path + ".directResponse", "directResponse cannot be combined with route, fault, rewrite or redirect");
        }
        if (h.delegate() != null && (route || redirect)) {
            r.error(path + ".delegate", "HTTP route cannot contain both route (or redirect) and delegate");
        }
    }

    private static void match(HttpMatchRequest m, String path, Report r) {
        Checks.stringMatch(r, path + ".uri", m.uri(), true);
        Checks.stringMatch(r, path + ".scheme", m.scheme(), false);
        Checks.stringMatch(r, path + ".method", m.method(), false);
        Checks.stringMatch(r, path + ".authority", m.authority(), false);
        headerMatches(r, path + ".headers", m.headers());
        headerMatches(r, path + ".withoutHeaders", m.withoutHeaders());
        m.queryParams().forEach((k, v) -> Checks.stringMatch(r, path + ".queryParams." + k, v, false));
        Checks.port(r, path + ".port", m.port());
        if (m.sourceNamespace() != null) r.notActedOn(path + ".sourceNamespace", NotActedOn.SOURCE_NAMESPACE);
        if (m.statPrefix() != null) r.notActedOn(path + ".statPrefix", NotActedOn.STAT_PREFIX);
        if (!m.gateways().isEmpty()) r.notActedOn(path + ".gateways", NotActedOn.MATCH_GATEWAYS);
    }

    private static void headerMatches(Report r, String path, Map<String, StringMatch> headers) {
        headers.forEach((name, match) -> {
            String p = path + "." + name;
            if (!name.equals(name.toLowerCase())) r.error(p, "header match " + name + " must be lowercase");
            else if (!name.startsWith("@")) Checks.headerName(r, p, name);
            Checks.stringMatch(r, p, match, false);
        });
    }

    /** Weights are relative since Istio 1.15; only a zero total over several destinations is invalid. */
    private static void destinations(HttpRoute h, String path, Report r) {
        int total = 0;
        for (int k = 0; k < h.route().size(); k++) {
            HttpRouteDestination d = h.route().get(k);
            String p = path + ".route[" + k + "]";
            Checks.destination(r, p + ".destination", d.destination());
            int w = d.weight() == null ? 0 : d.weight();
            if (w < 0) r.error(p + ".weight", "must be >= 0, got " + w);
            total += Math.max(0, w);
            headers(d.headers(), p + ".headers", r);
        }
        if (h.route().size() > 1 && total == 0) r.error(path + ".route", "total destination weight = 0");
    }

    private static void mirrors(HttpRoute h, String path, Report r) {
        if (h.mirror() != null && !h.mirrors().isEmpty()) r.error(path + ".mirrors", "cannot specify both mirror and mirrors");
        if (h.mirror() != null) Checks.destination(r, path + ".mirror", h.mirror());
        Checks.percentRange(r, path + ".mirrorPercentage.value", h.mirrorPercentage(), "mirror percentage");
        if (h.mirrorPercent() != null) {
            Checks.percentRange(r, path + ".mirrorPercent", h.mirrorPercent(), "mirror_percent");
            r.warning(path + ".mirrorPercent", "mirror_percent is deprecated, use mirrorPercentage");
        }
        for (int i = 0; i < h.mirrors().size(); i++) {
            HttpMirrorPolicy m = h.mirrors().get(i);
            Checks.destination(r, path + ".mirrors[" + i + "].destination", m.destination());
            Checks.percentRange(r, path + ".mirrors[" + i + "].percentage.value", m.percentage(), "mirror percentage");
        }
    }

    static void headers(Headers headers, String path, Report r) {
        ops(headers.request(), path + ".request", r, true);
        ops(headers.response(), path + ".response", r, false);
    }

    /** Host may be set on requests (it becomes an authority rewrite) but never removed. */
    private static void ops(HeaderOperations ops, String path, Report r, boolean request) {
        Map.of("set", ops.set(), "add", ops.add()).forEach((op, values) -> values.forEach((name, value) -> {
            String p = path + "." + op + "." + name;
            if (!(request && isAuthority(name))) Checks.headerName(r, p, name);
            if (!request && name.equalsIgnoreCase("host")) r.error(p, "cannot set the Host header on a response");
            Checks.headerValue(r, p, value);
        }));
        for (int i = 0; i < ops.remove().size(); i++) {
            String name = ops.remove().get(i);
            String p = path + ".remove[" + i + "]";
            if (isAuthority(name)) r.error(p, "cannot remove the Host header");
            else Checks.headerName(r, p, name);
        }
    }

    static boolean isAuthority(String name) {
        return name.equalsIgnoreCase("host") || name.equals(":authority");
    }
}
