package dev.meshunit.fault;

import dev.meshunit.routing.RequestView;
import java.util.Locale;
import java.util.Objects;

/**
 * Which requests a test's fault override is for: a service (short name or FQDN), optionally one subset, a
 * path prefix and one header with an exact value. Null means "any".
 */
public record FaultMatch(String host, String subset, String pathPrefix, String headerName, String headerValue) {
    public FaultMatch {
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) throw new IllegalArgumentException("host must not be blank");
        if ((headerName == null) != (headerValue == null)) {
            throw new IllegalArgumentException("header match needs both a name and a value");
        }
        if (headerName != null) headerName = headerName.toLowerCase(Locale.ROOT);
    }

    public static FaultMatch host(String host) {
        return new FaultMatch(host, null, null, null, null);
    }

    /** Parses {@code name=value}, the form the annotations use. */
    public FaultMatch withHeader(String nameEqualsValue) {
        int eq = nameEqualsValue.indexOf('=');
        if (eq <= 0) throw new IllegalArgumentException("header match must look like name=value (was \"" + nameEqualsValue + "\")");
        return new FaultMatch(host, subset, pathPrefix, nameEqualsValue.substring(0, eq).strip(), nameEqualsValue.substring(eq + 1).strip());
    }

    public FaultMatch withSubset(String subset) {
        return new FaultMatch(host, subset, pathPrefix, headerName, headerValue);
    }

    public FaultMatch withPathPrefix(String pathPrefix) {
        return new FaultMatch(host, subset, pathPrefix, headerName, headerValue);
    }

    /** @param destinationHost the FQDN the route picked; {@code subset} its subset, or null */
    public boolean matches(RequestView request, String destinationHost, String destinationSubset) {
        if (!hostMatches(request.authority(), destinationHost)) return false;
        if (subset != null && !subset.equals(destinationSubset)) return false;
        if (pathPrefix != null && !request.path().startsWith(pathPrefix)) return false;
        return headerName == null || headerValue.equals(request.header(headerName));
    }

    private boolean hostMatches(String authority, String destinationHost) {
        if (destinationHost != null && (destinationHost.equals(host) || destinationHost.startsWith(host + "."))) return true;
        if (authority == null) return false;
        int colon = authority.lastIndexOf(':');
        String h = colon > 0 && authority.indexOf(']') < colon ? authority.substring(0, colon) : authority;
        return h.equals(host) || authority.equals(host);
    }
}
