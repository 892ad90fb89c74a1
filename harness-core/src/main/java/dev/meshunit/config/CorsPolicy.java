package dev.meshunit.config;

import java.util.List;

/** Accepted so that real configs load; CORS is a browser concern and is not acted on. */
public record CorsPolicy(
        List<StringMatch> allowOrigins, List<String> allowOrigin, List<String> allowMethods,
        List<String> allowHeaders, List<String> exposeHeaders, String maxAge, Boolean allowCredentials,
        String unmatchedPreflights) {

    public CorsPolicy {
        allowOrigins = Immutables.list(allowOrigins);
        allowOrigin = Immutables.list(allowOrigin);
        allowMethods = Immutables.list(allowMethods);
        allowHeaders = Immutables.list(allowHeaders);
        exposeHeaders = Immutables.list(exposeHeaders);
    }
}
