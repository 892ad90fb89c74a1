package dev.meshunit.config;

import java.util.Map;

/** Kubernetes object metadata; only name and namespace take part in behaviour. */
public record Metadata(String name, String namespace, Map<String, String> labels, Map<String, String> annotations) {
    public static final String DEFAULT_NAMESPACE = "default";

    public Metadata {
        namespace = namespace == null || namespace.isEmpty() ? DEFAULT_NAMESPACE : namespace;
        labels = Immutables.map(labels);
        annotations = Immutables.map(annotations);
    }

    public static Metadata of(String name) {
        return new Metadata(name, null, null, null);
    }

    public static Metadata of(String name, String namespace) {
        return new Metadata(name, namespace, null, null);
    }
}
