package dev.meshunit.config.load.internal;

import dev.meshunit.config.CorsPolicy;
import dev.meshunit.config.HttpDirectResponse;
import dev.meshunit.config.HttpRedirect;
import dev.meshunit.config.HttpRewrite;
import dev.meshunit.config.HttpRoute;
import dev.meshunit.config.StringMatch;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

/** Istio's rules for what a route does besides forwarding: redirect, direct response, rewrite, CORS. */
final class ActionChecks {
    private static final int KB = 1024;
    private static final int MB = 1024 * KB;
    private static final Set<String> CORS_METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "CONNECT",
            "OPTIONS", "TRACE");

    private ActionChecks() {}

    static void redirect(HttpRoute h, String path, Report r) {
        HttpRedirect red = h.redirect();
        if (red == null) return;
        String p = path + ".redirect";
        if (red.uri() != null && !red.uri().isEmpty() && red.prefixRewrite() != null && !red.prefixRewrite().isEmpty()) {
            r.error(p, "redirect may only specify one of uri or prefix_rewrite");
        }
        if (red.prefixRewrite() != null && !red.prefixRewrite().isEmpty() && h.match().stream()
                .anyMatch(m -> m.uri() != null && m.uri().kind() != StringMatch.Kind.PREFIX)) {
            r.error(p + ".prefixRewrite", "redirect prefix_rewrite requires all URI matches to use prefix match type");
        }
        if (empty(red.uri()) && empty(red.prefixRewrite()) && empty(red.authority()) && empty(red.scheme())
                && red.port() == null && red.derivePort() == null) {
            r.error(p, "redirect must specify URI, authority, scheme, or port");
        }
        if (red.redirectCode() != null && red.redirectCode() != 0 && (red.redirectCode() < 300 || red.redirectCode() > 399)) {
            r.error(p + ".redirectCode", red.redirectCode() + " is not a valid redirect code, must be 3xx");
        }
        if (!empty(red.scheme()) && !red.scheme().equals("http") && !red.scheme().equals("https")) {
            r.error(p + ".scheme", "invalid redirect scheme, must be \"http\" or \"https\"");
        }
        if (red.port() != null && red.derivePort() != null) r.error(p + ".port", "only one of port or derivePort may be set");
        if (red.port() != null && red.port() > 0) Checks.port(r, p + ".port", red.port());
    }

    private static boolean empty(String s) {
        return s == null || s.isEmpty();
    }

    static void directResponse(HttpDirectResponse d, String path, Report r) {
        if (d == null) return;
        int size = d.bodyString() != null ? d.bodyString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length : 0;
        if (d.bodyBytes() != null) {
            try {
                size = Base64.getDecoder().decode(d.bodyBytes()).length;
            } catch (IllegalArgumentException e) {
                r.error(path + ".body.bytes", "body bytes must be base64: " + e.getMessage());
            }
        }
        if (d.bodyString() != null && d.bodyBytes() != null) r.error(path + ".body", "only one of string or bytes may be set");
        if (size > MB) r.error(path + ".body", "large direct_responses may impact control plane performance, must be less than 1MB");
        else if (size > 100 * KB) r.warning(path + ".body", "large direct_responses may impact control plane performance");
        httpStatus(r, path + ".status", d.status());
    }

    /** Istio's validateHTTPStatus takes 200 to 600 inclusive. */
    static void httpStatus(Report r, String path, int status) {
        if (status < 200 || status > 600) r.error(path, "HTTP status " + status + " is not in range 200-599");
    }

    static void rewrite(HttpRoute h, String path, Report r) {
        HttpRewrite rw = h.rewrite();
        String p = path + ".rewrite";
        if (rw != null) {
            if (!empty(rw.uri()) && rw.uriRegexRewrite() != null) r.error(p, "rewrite may only contain one of URI or UriRegexRewrite");
            if (empty(rw.uri()) && rw.uriRegexRewrite() == null && empty(rw.authority())) {
                r.error(p, "rewrite must specify at least one of URI, UriRegexRewrite, or authority. Only one of URI or "
                        + "UriRegexRewrite may be specified");
            }
            if (rw.uriRegexRewrite() != null) {
                if (empty(rw.uriRegexRewrite().match()) || empty(rw.uriRegexRewrite().rewrite())) {
                    r.error(p + ".uriRegexRewrite", "UriRegexRewrite requires both Rewrite and Match fields to be specified");
                } else {
                    Checks.regex(r, p + ".uriRegexRewrite.match", rw.uriRegexRewrite().match());
                }
            }
        }
        String current = rw == null || empty(rw.authority()) ? null : rw.authority();
        for (Map<String, String> ops : java.util.List.of(h.headers().request().set(), h.headers().request().add())) {
            for (Map.Entry<String, String> e : ops.entrySet()) {
                if (!HeaderChecks.authority(e.getKey())) continue;
                if (current != null) {
                    r.error(path + ".headers.request", "authority header cannot be set multiple times: have \"" + current
                            + "\", attempting to set \"" + e.getValue() + "\"");
                }
                current = e.getValue();
            }
        }
    }

    static void cors(CorsPolicy c, String path, Report r) {
        if (c == null) return;
        for (int i = 0; i < c.allowOrigins().size(); i++) {
            StringMatch o = c.allowOrigins().get(i);
            String p = path + ".allowOrigins[" + i + "]";
            if (o.kind() == StringMatch.Kind.PRESENT || o.value().isEmpty()) {
                r.error(p, "'' is not a valid match type for CORS allow origins");
            } else if (o.kind() == StringMatch.Kind.REGEX) {
                Checks.regex(r, p + ".regex", o.value());
            }
        }
        for (int i = 0; i < c.allowMethods().size(); i++) {
            String m = c.allowMethods().get(i);
            if (!CORS_METHODS.contains(m)) r.error(path + ".allowMethods[" + i + "]", "\"" + m + "\" is not a supported HTTP method");
        }
        corsHeaders(c.allowHeaders(), path + ".allowHeaders", r);
        corsHeaders(c.exposeHeaders(), path + ".exposeHeaders", r);
        if (c.maxAge() != null) {
            try {
                java.time.Duration d = Durations.parse(c.maxAge());
                Checks.duration(r, path + ".maxAge", d);
                if (d.getNano() > 0) r.error(path + ".maxAge", "max_age duration is accurate only to seconds precision");
            } catch (IllegalArgumentException e) {
                r.error(path + ".maxAge", "expected duration (e.g. \"24h\"), got \"" + c.maxAge() + "\"");
            }
        }
    }

    private static void corsHeaders(java.util.List<String> names, String path, Report r) {
        for (int i = 0; i < names.size(); i++) {
            String n = names.get(i);
            if (n.isEmpty()) r.error(path + "[" + i + "]", "header name cannot be empty");
            else if (!n.equals("*") && !n.matches("[!#$%&'*+\\-.^_`|~A-Za-z0-9]+")) {
                r.error(path + "[" + i + "]", "header name " + n + " is not a valid header name");
            }
        }
    }
}
