package dev.meshunit.config.load.internal;

import dev.meshunit.config.HeaderOperations;
import dev.meshunit.config.Headers;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Istio's header rules: names in matches and in header operations, and Envoy's header value format. */
final class HeaderChecks {
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+\\-.^_`|~A-Za-z0-9]+");
    private static final Pattern CONTROL = Pattern.compile("[\\x00-\\x08\\x0a-\\x1f\\x7f]");
    private static final Set<String> PSEUDO = Set.of(":method", ":scheme", ":authority", ":path", ":status");
    static final String JWT_CLAIM = "@request.auth.claims.";

    private HeaderChecks() {}

    /** ValidateHTTPHeaderNameOrJwtClaimRoute; upper case is accepted (Envoy compares names in lower case). */
    static void matchName(Report r, String path, String name) {
        if (name.isEmpty()) {
            r.error(path, "header name cannot be empty");
        } else if (name.startsWith(JWT_CLAIM) || PSEUDO.contains(name)) {
            return;
        } else if (!TOKEN.matcher(name).matches()) {
            r.error(path, "header name " + name + " is not a valid header name");
        } else if (!name.equals(name.toLowerCase())) {
            r.warning(path, "header names are matched in lower case; Istio's documentation asks for " + name.toLowerCase());
        }
    }

    static void operations(Headers headers, String path, Report r) {
        HeaderOperations req = headers.request();
        HeaderOperations resp = headers.response();
        values(req.add(), path + ".request.add", r, true);
        values(req.set(), path + ".request.set", r, true);
        removals(req, path + ".request.remove", r);
        values(resp.add(), path + ".response.add", r, false);
        values(resp.set(), path + ".response.set", r, false);
        removals(resp, path + ".response.remove", r);
    }

    private static void values(Map<String, String> ops, String path, Report r, boolean requestAddOrSet) {
        ops.forEach((name, value) -> {
            String p = path + "." + name;
            if (requestAddOrSet) withAuthorityName(r, p, name);
            else operationName(r, p, name);
            value(r, p, value);
        });
    }

    private static void removals(HeaderOperations ops, String path, Report r) {
        for (int i = 0; i < ops.remove().size(); i++) operationName(r, path + "[" + i + "]", ops.remove().get(i));
    }

    /** Request add/set: Host and :authority are allowed (they become an authority rewrite). */
    private static void withAuthorityName(Report r, String path, String name) {
        if (name.isEmpty()) r.error(path, "header name cannot be empty");
        else if (internal(name) && !authority(name)) r.error(path, "invalid header \"" + name + "\": header cannot have \":\" prefix");
    }

    /** Request removal and every response operation: neither Host nor a pseudo-header. */
    private static void operationName(Report r, String path, String name) {
        if (name.isEmpty()) r.error(path, "header name cannot be empty");
        else if (name.equalsIgnoreCase("host")) r.error(path, "invalid header \"" + name + "\": cannot set Host header");
        else if (internal(name)) r.error(path, "invalid header \"" + name + "\": header cannot have \":\" prefix");
    }

    static boolean internal(String name) {
        return name.startsWith(":") || name.equalsIgnoreCase("host");
    }

    static boolean authority(String name) {
        return name.equalsIgnoreCase(":authority") || name.equalsIgnoreCase("host");
    }

    /** ValidateHTTPHeaderValue: no control characters, and Envoy's {@code %VARIABLE(args)%} syntax. */
    static void value(Report r, String path, String value) {
        if (CONTROL.matcher(value).find()) {
            r.error(path, "header value configuration " + value + " is invalid (control character)");
            return;
        }
        String problem = EnvoyFormat.problem(value);
        if (problem != null) r.error(path, "header value configuration: " + problem + " (write %% for a literal %)");
    }
}
