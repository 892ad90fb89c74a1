package dev.meshunit.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The host names a config declares (ServiceEntry, VirtualService and DestinationRule hosts), for telling a
 * typo from a name: a fault, wait or journal query that names a host nobody declared fails at once, naming
 * the declared hosts closest to what was written.
 */
public final class DeclaredHosts {
    private final Set<String> written = new LinkedHashSet<>();   // as the YAML has them: "ratings", "*.example.com"
    private final Set<String> fqdns = new LinkedHashSet<>();

    private DeclaredHosts() {}

    public static DeclaredHosts of(IstioConfig config) {
        DeclaredHosts d = new DeclaredHosts();
        for (ServiceEntry se : config.serviceEntries()) se.hosts().forEach(h -> d.add(h, se.metadata().namespace()));
        for (VirtualService vs : config.virtualServices()) vs.hosts().forEach(h -> d.add(h, vs.metadata().namespace()));
        for (DestinationRule dr : config.destinationRules()) d.add(dr.host(), dr.metadata().namespace());
        return d;
    }

    private void add(String host, String namespace) {
        if (host == null || host.isBlank()) return;
        written.add(HostNames.normalize(host));
        fqdns.add(HostNames.fqdn(host, namespace));
    }

    /**
     * Whether {@code name} names a declared host the way faults and journal queries match one: the FQDN, or a
     * prefix of it ending at a dot ({@code ratings}, {@code ratings.default}), or a name a wildcard host covers.
     */
    public boolean declares(String name) {
        String n = HostNames.normalize(stripPort(name));
        for (String fqdn : fqdns) {
            if (fqdn.equals(n) || fqdn.startsWith(n + ".") || (fqdn.startsWith("*") && HostNames.matches(fqdn, n))) return true;
        }
        return written.contains(n);
    }

    /** The declared names as written, sorted. */
    public List<String> names() {
        return written.stream().sorted().toList();
    }

    /** Up to {@code max} declared names closest to {@code name} by edit distance, closest first; none when nothing is close. */
    public List<String> nearest(String name, int max) {
        String n = HostNames.normalize(stripPort(name));
        int limit = Math.max(2, n.length() / 3);
        record Scored(String name, int distance) {}
        List<Scored> scored = new ArrayList<>();
        for (String w : written) {
            String shortName = w.contains(".") && !w.startsWith("*") ? w.substring(0, w.indexOf('.')) : w;
            int d = Math.min(distance(n, w), distance(n, shortName));
            if (d <= limit) scored.add(new Scored(w, d));
        }
        return scored.stream().sorted(Comparator.comparingInt(Scored::distance).thenComparing(Scored::name))
                .limit(max).map(Scored::name).toList();
    }

    /**
     * Throws {@link IllegalArgumentException} unless {@code name} is declared: {@code what} says who asked
     * (e.g. {@code fault}), the message names the nearest declared hosts and all of them.
     */
    public void require(String name, String what) {
        if (declares(name)) return;
        List<String> near = nearest(name, 3);
        List<String> all = names();
        StringBuilder m = new StringBuilder(what).append(": no host \"").append(name).append("\" in the config");
        if (!near.isEmpty()) m.append("; did you mean ").append(String.join(" or ", near)).append('?');
        m.append(all.isEmpty() ? " (the config declares no host)" : " (declared: " + String.join(", ", all) + ")");
        throw new IllegalArgumentException(m.toString());
    }

    private static String stripPort(String name) {
        int colon = name.lastIndexOf(':');
        return colon > 0 && name.indexOf(']') < colon && name.substring(colon + 1).chars().allMatch(Character::isDigit)
                ? name.substring(0, colon) : name;
    }

    /** Levenshtein distance, case-insensitive (two rows; names are short). */
    static int distance(String a, String b) {
        String x = a.toLowerCase(Locale.ROOT), y = b.toLowerCase(Locale.ROOT);
        int[] prev = new int[y.length() + 1], cur = new int[y.length() + 1];
        for (int j = 0; j <= y.length(); j++) prev[j] = j;
        for (int i = 1; i <= x.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= y.length(); j++) {
                int sub = prev[j - 1] + (x.charAt(i - 1) == y.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j], cur[j - 1]) + 1);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[y.length()];
    }
}
