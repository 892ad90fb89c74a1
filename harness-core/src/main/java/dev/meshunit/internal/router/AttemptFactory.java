package dev.meshunit.internal.router;

import dev.meshunit.internal.upstream.Cluster;
import dev.meshunit.internal.upstream.Endpoint;

/** Starts attempts on one event loop's connections (the connection pool). */
@FunctionalInterface
public interface AttemptFactory {
    /**
     * An attempt not started yet, so that the caller holds it before the first callback; {@code clientHttp2}
     * says whether the client spoke HTTP/2 (for {@code useClientProtocol}).
     */
    Attempt create(Cluster cluster, Endpoint endpoint, int number, AttemptCallbacks callbacks, boolean clientHttp2);
}
