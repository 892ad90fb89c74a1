package dev.meshunit.config;

import java.util.Locale;
import java.util.Set;

/**
 * Istio's host names. Short names resolve against a namespace ({@code reviews} in {@code default} is
 * {@code reviews.default.svc.cluster.local}), as Kubernetes DNS search domains and Istio's virtual host
 * domains make {@code reviews}, {@code reviews.default}, {@code reviews.default.svc} and the FQDN one service.
 * Anything else is taken as a fully qualified name.
 */
public final class HostNames {
    public static final String CLUSTER_SUFFIX = ".svc.cluster.local";

    private HostNames() {}

    /**
     * The fully qualified name of {@code host} seen from {@code namespace}. {@code name.ns} is taken as a
     * service only when {@code ns} is {@code namespace}; use {@link #fqdn(String, String, Set)} to name other
     * known namespaces.
     */
    public static String fqdn(String host, String namespace) {
        return fqdn(host, namespace, Set.of());
    }

    /** As {@link #fqdn(String, String)}, also treating {@code name.ns} as a service for any {@code ns} in {@code namespaces}. */
    public static String fqdn(String host, String namespace, Set<String> namespaces) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.endsWith(".")) h = h.substring(0, h.length() - 1);
        if (h.startsWith("*") || h.endsWith(CLUSTER_SUFFIX)) return h;
        String[] labels = h.split("\\.", -1);
        if (labels.length == 1) return h + "." + namespace + CLUSTER_SUFFIX;
        if (labels.length == 2 && (labels[1].equals(namespace) || namespaces.contains(labels[1]))) return h + CLUSTER_SUFFIX;
        if (labels.length == 3 && labels[2].equals("svc")) return h + ".cluster.local";
        return h;
    }

    /**
     * The names a client's DNS search path would try for a host it addressed, in order: what the proxy
     * looks up when a request says {@code Host: reviews} or {@code Host: reviews.default}.
     */
    public static java.util.List<String> candidates(String host, String namespace) {
        String h = normalize(host);
        if (h.indexOf('.') < 0) return java.util.List.of(h + "." + namespace + CLUSTER_SUFFIX, h);
        if (h.endsWith(CLUSTER_SUFFIX)) return java.util.List.of(h);
        if (h.endsWith(".svc")) return java.util.List.of(h + ".cluster.local", h);
        return java.util.List.of(h, h + CLUSTER_SUFFIX, h + ".cluster.local");
    }

    /** Lower case, without a trailing dot. */
    public static String normalize(String host) {
        String h = host.trim().toLowerCase(Locale.ROOT);
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }

    /** Whether {@code fqdn} is covered by {@code pattern}: equal, {@code *}, or {@code *.suffix} (one or more labels). */
    public static boolean matches(String pattern, String fqdn) {
        String p = pattern.toLowerCase(Locale.ROOT);
        String h = fqdn.toLowerCase(Locale.ROOT);
        if (p.equals("*")) return true;
        if (p.startsWith("*.")) return h.endsWith(p.substring(1)) && h.length() > p.length() - 1;
        return p.equals(h);
    }

    /** Whether two host patterns can match a common host (used to find conflicting VirtualServices). */
    public static boolean overlap(String a, String b) {
        return matches(a, b) || matches(b, a);
    }

    /** A short or Kubernetes-service name, as opposed to an external DNS name like {@code api.example.com}. */
    public static boolean isClusterLocal(String fqdn) {
        return fqdn.endsWith(CLUSTER_SUFFIX);
    }
}
