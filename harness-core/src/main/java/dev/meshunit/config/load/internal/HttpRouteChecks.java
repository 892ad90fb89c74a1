package dev.meshunit.config.load.internal;

import dev.meshunit.config.HttpMatchRequest;
import dev.meshunit.config.HttpMirrorPolicy;
import dev.meshunit.config.HttpRoute;
import dev.meshunit.config.HttpRouteDestination;
import dev.meshunit.config.StringMatch;
import java.util.List;

/** Istio's rules for one {@code http[]} rule (validateHTTPRoute): action, matches, destinations, mirrors, headers. */
final class HttpRouteChecks {
    private HttpRouteChecks() {}

    static void check(HttpRoute h, String path, Report r, boolean delegateVs) {
        conflicts(h, path, r, delegateVs);
        for (int j = 0; j < h.match().size(); j++) match(h.match().get(j), path + ".match[" + j + "]", r);
        HeaderChecks.operations(h.headers(), path + ".headers", r);
        ActionChecks.cors(h.corsPolicy(), path + ".corsPolicy", r);
        ResilienceChecks.fault(h.fault(), path + ".fault", r);
        mirrors(h, path, r);
        ActionChecks.redirect(h, path, r);
        ActionChecks.directResponse(h.directResponse(), path + ".directResponse", r);
        ResilienceChecks.retries(h, path, r);
        ActionChecks.rewrite(h, path, r);
        destinations(h.route(), path, r);
        Checks.duration(r, path + ".timeout", h.timeout());
        if (h.delegate() != null) r.notActedOn(path + ".delegate", NotActedOn.DELEGATE);
        if (h.corsPolicy() != null) r.notActedOn(path + ".corsPolicy", NotActedOn.CORS);
    }

    /** A rule with a delegate is a root rule; the rules of a delegate VirtualService may not delegate again. */
    private static void conflicts(HttpRoute h, String path, Report r, boolean delegateVs) {
        boolean route = !h.route().isEmpty();
        if (h.delegate() != null) {
            if (delegateVs) r.error(path + ".delegate", "delegate HTTP route cannot contain delegate");
            else {
                if (h.redirect() != null) r.error(path + ".redirect", "root HTTP route " + name(h) + "must not specify redirect");
                if (r.written(path + ".route") || !h.route().isEmpty()) r.error(path + ".route", "root HTTP route " + name(h) + "must not specify route");
                return;
            }
        }
        if (h.redirect() != null) {
            if (route) r.error(path + ".redirect", "HTTP route cannot contain both route and redirect");
            if (h.fault() != null) r.error(path + ".fault", "HTTP route cannot contain both fault and redirect");
            if (h.rewrite() != null) r.error(path + ".rewrite", "HTTP route rule cannot contain both rewrite and redirect");
            if (h.directResponse() != null) r.error(path + ".directResponse", "HTTP route rule cannot contain both direct_response and redirect");
        } else if (h.directResponse() != null) {
            if (route) r.error(path + ".directResponse", "HTTP route cannot contain both route and direct_response");
            if (h.fault() != null) r.error(path + ".fault", "HTTP route cannot contain both fault and direct_response");
            if (h.rewrite() != null) r.error(path + ".rewrite", "HTTP route rule cannot contain both rewrite and direct_response");
        } else if (!route) {
            r.error(path, "HTTP route, redirect or direct_response is required");
        }
        if (h.mirror() != null && !h.mirrors().isEmpty()) r.error(path + ".mirrors", "HTTP route cannot contain both mirror and mirrors");
    }

    private static String name(HttpRoute h) {
        return h.name() == null ? "" : h.name() + " ";
    }

    private static void match(HttpMatchRequest m, String path, Report r) {
        m.headers().forEach((name, match) -> {
            HeaderChecks.matchName(r, path + ".headers." + name, name);
            Checks.stringMatch(r, path + ".headers." + name, match, false);
        });
        m.withoutHeaders().forEach((name, match) -> {
            HeaderChecks.matchName(r, path + ".withoutHeaders." + name, name);
            // "*" is not RE2: Istio reads it as "header present".
            if (!(match.kind() == StringMatch.Kind.REGEX && match.value().equals("*"))) {
                Checks.stringMatch(r, path + ".withoutHeaders." + name, match, false);
            }
        });
        Checks.stringMatch(r, path + ".uri", m.uri(), true);
        Checks.stringMatch(r, path + ".scheme", m.scheme(), false);
        Checks.stringMatch(r, path + ".method", m.method(), false);
        Checks.stringMatch(r, path + ".authority", m.authority(), false);
        m.queryParams().forEach((k, v) -> Checks.stringMatch(r, path + ".queryParams." + k, v, false));
        if (m.port() != null && m.port() != 0) Checks.port(r, path + ".port", m.port());
        WorkloadEntryChecks.labels(m.sourceLabels(), path + ".sourceLabels", r);
        GatewayNames.check(m.gateways(), path + ".gateways", r);
        if (m.sourceNamespace() != null && !m.sourceNamespace().isEmpty() && !IstioNames.isDns1123Label(m.sourceNamespace())) {
            r.error(path + ".sourceNamespace", "sourceNamespace match " + m.sourceNamespace() + " is invalid");
        }
        if (m.sourceNamespace() != null) r.notActedOn(path + ".sourceNamespace", NotActedOn.SOURCE_NAMESPACE);
        if (m.statPrefix() != null) r.notActedOn(path + ".statPrefix", NotActedOn.STAT_PREFIX);
        if (!m.gateways().isEmpty()) r.notActedOn(path + ".gateways", NotActedOn.MATCH_GATEWAYS);
    }

    /** Weights are relative since Istio 1.15; only a zero total over several destinations is invalid. */
    static void destinations(List<HttpRouteDestination> route, String path, Report r) {
        int total = 0;
        for (int k = 0; k < route.size(); k++) {
            HttpRouteDestination d = route.get(k);
            String p = path + ".route[" + k + "]";
            if (d.destination() == null) r.error(p + ".destination", "destination is required");
            HeaderChecks.operations(d.headers(), p + ".headers", r);
            Checks.destination(r, p + ".destination", d.destination());
            int w = d.weight() == null ? 0 : d.weight();
            if (w < 0) r.error(p + ".weight", "must be >= 0, got " + w);
            total += w;
        }
        if (route.size() > 1 && total == 0) r.error(path + ".route", "total destination weight = 0");
    }

    private static void mirrors(HttpRoute h, String path, Report r) {
        if (h.mirrorPercent() != null) {
            if (h.mirrorPercent() > 100) r.error(path + ".mirrorPercent", "mirror_percent must have a max value of 100 (it has " + h.mirrorPercent() + ")");
            r.warning(path + ".mirrorPercent", "using deprecated setting \"mirrorPercent\", use \"mirrorPercentage\" instead");
        }
        mirrorPercentage(r, path + ".mirrorPercentage.value", h.mirrorPercentage(), "mirror_percentage");
        Checks.destination(r, path + ".mirror", h.mirror());
        for (int i = 0; i < h.mirrors().size(); i++) {
            HttpMirrorPolicy m = h.mirrors().get(i);
            String p = path + ".mirrors[" + i + "]";
            if (m.destination() == null) {
                r.error(p + ".destination", "destination is required for mirrors");
                continue;
            }
            Checks.destination(r, p + ".destination", m.destination());
            mirrorPercentage(r, p + ".percentage.value", m.percentage(), "mirror percentage");
        }
    }

    private static void mirrorPercentage(Report r, String path, Double v, String what) {
        if (v == null) return;
        if (v > 100) r.error(path, what + " must have a max value of 100 (it has " + v + ")");
        if (v < 0) r.error(path, what + " must have a min value of 0 (it has " + v + ")");
    }
}
