package dev.meshunit.mirror;

import java.util.Map;

/**
 * The comparison of one route: how many exchanges were compared, how many were equal and how many differed,
 * and for each field (array indices as {@code [*]}) in how many exchanges it differed.
 */
public record RouteSummary(String route, int compared, int equal, int different, Map<String, Integer> byField) {
    public RouteSummary {
        byField = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(byField));
    }
}
