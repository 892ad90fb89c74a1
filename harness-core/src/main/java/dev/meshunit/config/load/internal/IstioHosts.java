package dev.meshunit.config.load.internal;

/** Istio's host.Name comparisons: a name starting with {@code *} is a wildcard matching any prefix. */
final class IstioHosts {
    private IstioHosts() {}

    static boolean wildcard(String h) {
        return h.startsWith("*");
    }

    /** host.Name.Matches: whether the two names can stand for one host. */
    static boolean matches(String a, String b) {
        if (wildcard(a) && wildcard(b)) {
            return a.length() < b.length() ? b.substring(1).endsWith(a.substring(1)) : a.substring(1).endsWith(b.substring(1));
        }
        if (wildcard(a)) return b.endsWith(a.substring(1));
        if (wildcard(b)) return a.endsWith(b.substring(1));
        return a.equals(b);
    }

    /** host.Name.SubsetOf: whether every host {@code a} stands for is also one of {@code b}'s. */
    static boolean subsetOf(String a, String b) {
        if (wildcard(b)) {
            if (wildcard(a)) return a.substring(1).endsWith(b.substring(1));
            return a.endsWith(b.substring(1));
        }
        return !wildcard(a) && a.equals(b);
    }
}
