package dev.meshunit.mirror;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What one comparison run found: every compared exchange, the summaries per route, the noise learned from
 * the secondary (per route), and the mirrored requests that could not be compared.
 */
public final class ComparisonResult {
    private final List<ComparedExchange> exchanges;
    private final List<Skipped> skipped;
    private final Map<String, Set<String>> noise;
    private final List<String> ignoring;
    private final Map<String, RouteSummary> routes;

    ComparisonResult(List<ComparedExchange> exchanges, List<Skipped> skipped, Map<String, Set<String>> noise,
                     List<String> ignoring, Map<String, RouteSummary> routes) {
        this.exchanges = List.copyOf(exchanges);
        this.skipped = List.copyOf(skipped);
        Map<String, Set<String>> n = new TreeMap<>();
        noise.forEach((k, v) -> n.put(k, Collections.unmodifiableSet(new TreeSet<>(v))));
        this.noise = Collections.unmodifiableMap(n);
        this.ignoring = List.copyOf(ignoring);
        this.routes = Collections.unmodifiableMap(new TreeMap<>(routes));
    }

    /** Every compared exchange, by primary id. */
    public List<ComparedExchange> exchanges() {
        return exchanges;
    }

    public List<ComparedExchange> differing() {
        return exchanges.stream().filter(e -> !e.equal()).toList();
    }

    /** Every reported difference, in exchange order. */
    public List<Difference> differences() {
        return exchanges.stream().flatMap(e -> e.differences().stream()).toList();
    }

    public int compared() {
        return exchanges.size();
    }

    public int equal() {
        return compared() - different();
    }

    public int different() {
        return (int) exchanges.stream().filter(e -> !e.equal()).count();
    }

    public boolean hasDifferences() {
        return different() > 0;
    }

    public List<Skipped> skipped() {
        return skipped;
    }

    /** Per route, the fields (array indices as {@code [*]}) that differed between primary and secondary. */
    public Map<String, Set<String>> noise() {
        return noise;
    }

    /** The ignore rules given: JSON path patterns and {@code header <name>}. */
    public List<String> ignoring() {
        return ignoring;
    }

    public Map<String, RouteSummary> routes() {
        return routes;
    }

    /** A readable account: the totals, then the first {@code max} differing exchanges with their differences. */
    public String report(int max) {
        StringBuilder b = new StringBuilder();
        b.append(different()).append(" of ").append(compared()).append(" compared exchanges differ");
        if (!skipped.isEmpty()) b.append(" (").append(skipped.size()).append(" not compared)");
        b.append('\n');
        for (RouteSummary r : routes.values()) {
            b.append("  route ").append(r.route()).append(": ").append(r.different()).append(" of ").append(r.compared());
            if (!r.byField().isEmpty()) b.append(", by field ").append(r.byField());
            b.append('\n');
        }
        List<ComparedExchange> diff = differing();
        if (diff.isEmpty()) return b.toString();
        b.append(diff.size() > max ? "first " + max + ":\n" : "");
        for (ComparedExchange e : diff.subList(0, Math.min(max, diff.size()))) {
            b.append("  #").append(e.primaryId()).append(' ').append(e.method()).append(' ').append(e.path())
                    .append(" [route ").append(e.route()).append("]\n");
            for (Difference d : e.differences()) b.append("    ").append(d).append('\n');
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return report(3);
    }
}
