package dev.meshunit.config.load.internal;

import dev.meshunit.config.HttpDirectResponse;
import dev.meshunit.config.HttpRedirect;
import dev.meshunit.config.HttpRewrite;
import dev.meshunit.config.HttpRoute;
import dev.meshunit.config.StringMatch;
import java.util.Base64;
import java.util.Set;

/** Rules for what a route does besides forwarding: redirect, direct response, rewrite. */
final class ActionChecks {
    private static final Set<Integer> REDIRECT_CODES = Set.of(301, 302, 303, 307, 308);
    private static final int BODY_WARN = 100 * 1024;
    private static final int BODY_MAX = 1024 * 1024;

    private ActionChecks() {}

    static void redirect(HttpRoute h, String path, Report r) {
        HttpRedirect red = h.redirect();
        if (red == null) return;
        String p = path + ".redirect";
        if (red.uri() == null && red.prefixRewrite() == null && red.authority() == null && red.scheme() == null
                && red.port() == null && red.derivePort() == null) {
            r.error(p, "redirect must specify uri, prefixRewrite, authority, scheme or port");
        }
        if (red.uri() != null && red.prefixRewrite() != null) r.error(p, "cannot set both uri and prefixRewrite");
        if (red.prefixRewrite() != null && h.match().stream()
                .anyMatch(m -> m.uri() != null && m.uri().kind() != StringMatch.Kind.PREFIX)) {
            r.error(p + ".prefixRewrite", "prefixRewrite needs every uri match to be a prefix match");
        }
        if (red.redirectCode() != null && red.redirectCode() != 0 && !REDIRECT_CODES.contains(red.redirectCode())) {
            r.error(p + ".redirectCode", "redirect code " + red.redirectCode() + " is not one of 301, 302, 303, 307, 308");
        }
        if (red.scheme() != null && !red.scheme().equals("http") && !red.scheme().equals("https")) {
            r.error(p + ".scheme", "scheme must be http or https, got " + red.scheme());
        }
        if (red.port() != null && red.derivePort() != null) r.error(p + ".port", "cannot set both port and derivePort");
        Checks.port(r, p + ".port", red.port());
    }

    static void directResponse(HttpDirectResponse d, String path, Report r) {
        if (d == null) return;
        if (d.status() < 200 || d.status() > 599) r.error(path + ".status", "status " + d.status() + " must be in 200..599");
        if (d.bodyString() != null && d.bodyBytes() != null) r.error(path + ".body", "only one of string or bytes may be set");
        int size = d.bodyString() != null ? d.bodyString().length() : 0;
        if (d.bodyBytes() != null) {
            try {
                size = Base64.getDecoder().decode(d.bodyBytes()).length;
            } catch (IllegalArgumentException e) {
                r.error(path + ".body.bytes", "body bytes must be base64: " + e.getMessage());
            }
        }
        if (size > BODY_MAX) r.error(path + ".body", "body is " + size + " bytes, larger than the 1 MB limit");
        else if (size >= BODY_WARN) r.warning(path + ".body", "body is " + size + " bytes; large direct responses slow down the proxy");
    }

    static void rewrite(HttpRoute h, String path, Report r) {
        HttpRewrite rw = h.rewrite();
        String p = path + ".rewrite";
        if (rw != null) {
            if (rw.uri() == null && rw.uriRegexRewrite() == null && rw.authority() == null) {
                r.error(p, "rewrite must specify uri, uriRegexRewrite or authority");
            }
            if (rw.uri() != null && rw.uriRegexRewrite() != null) r.error(p, "cannot set both uri and uriRegexRewrite");
            if (rw.uriRegexRewrite() != null) {
                if (rw.uriRegexRewrite().match() == null || rw.uriRegexRewrite().rewrite() == null) {
                    r.error(p + ".uriRegexRewrite", "uriRegexRewrite needs both match and rewrite");
                }
                Checks.regex(r, p + ".uriRegexRewrite.match", rw.uriRegexRewrite().match());
            }
        }
        int authorities = (rw != null && rw.authority() != null ? 1 : 0)
                + (int) h.headers().request().set().keySet().stream().filter(HttpRouteChecks::isAuthority).count()
                + (int) h.headers().request().add().keySet().stream().filter(HttpRouteChecks::isAuthority).count();
        if (authorities > 1) r.error(p, "authority may be set in only one place (rewrite.authority or a Host header)");
    }
}
