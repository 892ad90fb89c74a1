package dev.meshunit.upstream;

import java.util.List;
import java.util.Locale;

/**
 * Istio's host names in a namespace: {@code reviews}, {@code reviews.default} and
 * {@code reviews.default.svc.cluster.local} name one service when seen from namespace {@code default}.
 * Short names expand in the namespace of whoever names them (the resource, or the calling client).
 */
public final class ServiceNames {
    public static final String CLUSTER_SUFFIX = ".svc.cluster.local";

    private ServiceNames() {}

    /** The FQDN a single-label name stands for; longer names are taken as written. */
    public static String fqdn(String host, String namespace) {
        String h = normalize(host);
        if (h.equals("*") || h.startsWith("*.")) return h;
        if (h.indexOf('.') < 0) return h + "." + namespace + CLUSTER_SUFFIX;
        if (h.endsWith(".svc")) return h + ".cluster.local";
        return h;
    }

    /** The names a client's DNS search path would try, in order. */
    public static List<String> candidates(String host, String namespace) {
        String h = normalize(host);
        if (h.indexOf('.') < 0) return List.of(h + "." + namespace + CLUSTER_SUFFIX, h);
        if (h.endsWith(CLUSTER_SUFFIX)) return List.of(h);
        if (h.endsWith(".svc")) return List.of(h + ".cluster.local", h);
        return List.of(h, h + CLUSTER_SUFFIX, h + ".cluster.local");
    }

    /** Lower case, no trailing dot, no port. */
    public static String normalize(String host) {
        String h = host.trim().toLowerCase(Locale.ROOT);
        if (h.endsWith(".")) h = h.substring(0, h.length() - 1);
        return h;
    }

    /** Whether {@code pattern} (a name or a {@code *.suffix} wildcard) covers {@code fqdn}. */
    public static boolean matches(String pattern, String fqdn) {
        if (pattern.equals("*")) return true;
        if (pattern.startsWith("*.")) return fqdn.endsWith(pattern.substring(1));
        return pattern.equals(fqdn);
    }
}
