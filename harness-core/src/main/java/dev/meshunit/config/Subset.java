package dev.meshunit.config;

import java.util.Map;

/** A named group of endpoints selected by labels, with an optional policy of its own. */
public record Subset(String name, Map<String, String> labels, TrafficPolicy trafficPolicy) {
    public Subset {
        labels = Immutables.map(labels);
    }
}
