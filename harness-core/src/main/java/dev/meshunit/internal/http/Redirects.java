package dev.meshunit.internal.http;

import dev.meshunit.config.HttpRedirect;

/** A route's redirect answered locally, as Envoy's router builds the Location. */
public final class Redirects {
    private Redirects() {}

    public static LocalReply reply(HttpRedirect r, RequestHead request, String matchedPrefix) {
        String location = location(r, request, matchedPrefix);
        return LocalReply.text(r.code(), "", h -> h.set("location", location));
    }

    /** Scheme, authority, port, path and query of the redirect, each taken from the request unless the route sets it. */
    public static String location(HttpRedirect r, RequestHead request, String matchedPrefix) {
        String scheme = r.scheme() != null ? r.scheme() : request.scheme();
        String host = r.authority() != null ? r.authority() : request.host();
        String port = "";
        String authority = request.authority();
        if (r.port() != null) {
            port = ":" + r.port();
        } else if ("FROM_REQUEST_PORT".equals(r.derivePort())) {
            port = ":" + request.port();
        } else if (r.derivePort() == null && r.authority() == null && authority.contains(":") && !authority.endsWith("]")) {
            port = authority.substring(authority.lastIndexOf(':'));
        }
        String path = request.path();
        if (r.uri() != null) {
            path = r.uri();
        } else if (r.prefixRewrite() != null && matchedPrefix != null) {
            path = r.prefixRewrite() + path.substring(matchedPrefix.length());
        }
        String query = request.query() == null || path.contains("?") ? "" : "?" + request.query();
        return scheme + "://" + host + port + path + query;
    }
}
