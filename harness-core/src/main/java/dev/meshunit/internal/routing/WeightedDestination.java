package dev.meshunit.internal.routing;

import dev.meshunit.internal.filter.HeaderMutation;

/** A compiled route destination: service FQDN, optional subset and port, weight, destination-level headers. */
public record WeightedDestination(
        String host, String subset, Integer port, int weight, HeaderMutation requestHeaders,
        HeaderMutation responseHeaders) {}
