package dev.meshunit.internal.routing;

import dev.meshunit.routing.RequestView;
import dev.meshunit.config.HttpMatchRequest;
import dev.meshunit.config.StringMatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A compiled {@link HttpMatchRequest}: every present field must hold. sourceLabels are compared with the
 * proxy's configured source identity, since at the source they decide which workloads get the rule.
 */
final class RequestMatcher {
    private record Named(String name, StringMatcher matcher) {}

    private final String name;
    private final StringMatcher uri;
    private final StringMatcher scheme;
    private final StringMatcher method;
    private final StringMatcher authority;
    private final List<Named> headers;
    private final List<Named> withoutHeaders;
    private final List<Named> queryParams;
    private final Integer port;
    private final boolean sourceMatches;

    /** The matcher of a rule without {@code match}: every request. */
    static final RequestMatcher CATCH_ALL = new RequestMatcher(
            new HttpMatchRequest(null, null, null, null, null, null, null, null, null, null, null, null, null, null),
            Map.of());

    RequestMatcher(HttpMatchRequest m, Map<String, String> sourceLabels) {
        this.name = m.name();
        this.uri = m.uri() == null ? null : new StringMatcher(m.uri(), m.ignoreCase());
        this.scheme = compile(m.scheme());
        this.method = compile(m.method());
        this.authority = compile(m.authority());
        this.headers = compileAll(m.headers(), true);
        this.withoutHeaders = compileAll(m.withoutHeaders(), true);
        this.queryParams = compileAll(m.queryParams(), false);
        this.port = m.port();
        this.sourceMatches = sourceLabels.entrySet().containsAll(m.sourceLabels().entrySet());
    }

    private static StringMatcher compile(StringMatch m) {
        return m == null ? null : new StringMatcher(m, false);
    }

    private static List<Named> compileAll(Map<String, StringMatch> in, boolean headerNames) {
        List<Named> out = new ArrayList<>(in.size());
        in.forEach((k, v) -> out.add(new Named(headerNames ? k.toLowerCase(Locale.ROOT) : k, new StringMatcher(v, false))));
        return out;
    }

    String name() {
        return name;
    }

    private volatile String fullName; // set for a named match only, which belongs to one route

    /** Envoy's route name {@code <http.name>.<match.name>}, made once rather than per request. */
    String routeName(String routeRefName) {
        if (name == null) return routeRefName;
        String n = fullName;
        if (n == null) fullName = n = routeRefName + "." + name;
        return n;
    }

    /** The prefix a rewrite.uri replaces, when this match was a uri prefix match. */
    String uriPrefix() {
        return uri != null && uri.isPrefix() ? uri.value() : null;
    }

    /** @param servicePort the service port the request resolved to (what {@code port} matches) */
    boolean matches(RequestView r, int servicePort) {
        if (!sourceMatches) return false;
        if (port != null && port != servicePort) return false;
        if (uri != null && !uri.matches(r.path())) return false;
        if (scheme != null && !scheme.matches(r.scheme())) return false;
        if (method != null && !method.matches(r.method())) return false;
        if (authority != null && !authority.matches(r.authority())) return false;
        for (Named h : headers) {
            if (!h.matcher.matches(r.header(h.name))) return false;
        }
        for (Named h : withoutHeaders) {
            // Envoy's invert_match treats a missing header as an empty value.
            String v = r.header(h.name);
            if (h.matcher.matches(v == null ? "" : v)) return false;
        }
        for (Named q : queryParams) {
            List<String> values = r.queryParam(q.name);
            if (values.isEmpty() || !q.matcher.matches(values.get(0))) return false;
        }
        return true;
    }
}
