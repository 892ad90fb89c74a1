package dev.meshunit.internal.upstream;

import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;

/** Picks an endpoint of a cluster for one attempt. Implementations are thread-safe. */
public interface LoadBalancer {
    /**
     * @param hosts the healthy endpoints, never empty
     * @param avoid endpoints earlier attempts used; avoided when another choice exists
     * @param hash the request's hash key, for consistent hashing; {@link RequestHash#NONE} otherwise
     */
    Endpoint choose(List<Endpoint> hosts, Set<Endpoint> avoid, RandomGenerator random, RequestHash hash);
}
