package dev.meshunit.route;

import dev.meshunit.route.RouteDecision.Target;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One request whose routing decision differs between two configs: the decisions before and after, the aspects
 * that changed, and whether a declared expectation allows it. Weighted splits are compared as distributions:
 * {@link #shiftedShare()} is the share of requests that would go elsewhere (0.3 from 80/20 to 50/50).
 */
public record DecisionChange(RouteRequest request, RouteDecision before, RouteDecision after, List<Aspect> aspects,
        boolean allowed) {

    public DecisionChange {
        aspects = List.copyOf(aspects);
    }

    /** What may change about a decision; the names are those {@code --allow service:aspect} takes. */
    public enum Aspect {
        OUTCOME, ROUTE, DESTINATION, REWRITE, FAULT, TIMEOUT, RETRIES, MIRRORS;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Aspect of(String label) {
            for (Aspect a : values()) {
                if (a.label().equals(label.toLowerCase(Locale.ROOT))) return a;
            }
            throw new IllegalArgumentException("unknown aspect '" + label + "' (allowed: outcome, route, destination,"
                    + " rewrite, fault, timeout, retries, mirrors)");
        }
    }

    /** The aspects in which two decisions for the same request differ. */
    static List<Aspect> compare(RouteDecision a, RouteDecision b) {
        List<Aspect> out = new java.util.ArrayList<>();
        if (a.outcome() != b.outcome() || a.localStatus() != b.localStatus() || !Objects.equals(a.location(), b.location())) {
            out.add(Aspect.OUTCOME);
        }
        if (!Objects.equals(a.route(), b.route())) out.add(Aspect.ROUTE);
        if (shift(a, b) > 1e-9 || !shares(a).keySet().equals(shares(b).keySet())) out.add(Aspect.DESTINATION);
        if (!Objects.equals(a.path(), b.path()) || !Objects.equals(a.authority(), b.authority())) out.add(Aspect.REWRITE);
        if (!a.fault().equals(b.fault())) out.add(Aspect.FAULT);
        if (!Objects.equals(a.timeout(), b.timeout())) out.add(Aspect.TIMEOUT);
        if (!a.retries().equals(b.retries())) out.add(Aspect.RETRIES);
        if (!a.mirrors().equals(b.mirrors())) out.add(Aspect.MIRRORS);
        return out;
    }

    /** True when the same destinations are kept and only their shares changed: a weight shift. */
    public boolean distributionChange() {
        return aspects.contains(Aspect.DESTINATION) && shares(before).keySet().equals(shares(after).keySet());
    }

    /** The total variation distance between the two splits: the share of requests that would land elsewhere. */
    public double shiftedShare() {
        return shift(before, after);
    }

    private static double shift(RouteDecision a, RouteDecision b) {
        Map<String, Double> sa = shares(a);
        Map<String, Double> sb = shares(b);
        double sum = 0;
        java.util.Set<String> keys = new java.util.HashSet<>(sa.keySet());
        keys.addAll(sb.keySet());
        for (String k : keys) sum += Math.abs(sa.getOrDefault(k, 0.0) - sb.getOrDefault(k, 0.0));
        return sum / 2;
    }

    private static Map<String, Double> shares(RouteDecision d) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (Target t : d.destinations()) m.merge(t.cluster(), t.share(), Double::sum);
        return m;
    }

    /** The request, then one line per changed aspect: {@code before -> after}. */
    public String describe() {
        StringBuilder b = new StringBuilder(request.toString()).append(allowed ? "  (allowed)" : "").append(System.lineSeparator());
        for (Aspect a : aspects) {
            String detail = switch (a) {
                case OUTCOME -> outcome(before) + " -> " + outcome(after);
                case ROUTE -> before.route() + " -> " + after.route();
                case DESTINATION -> before.split() + " -> " + after.split() + String.format(Locale.ROOT,
                        "  (%s, %s of requests move)", distributionChange() ? "distribution change" : "destination change",
                        RouteDecision.percent(Math.round(shiftedShare() * 10000) / 100.0));
                case REWRITE -> rewrite(before) + " -> " + rewrite(after);
                case FAULT -> before.fault() + " -> " + after.fault();
                case TIMEOUT -> timeout(before) + " -> " + timeout(after);
                case RETRIES -> before.retries() + " -> " + after.retries();
                case MIRRORS -> before.mirrors() + " -> " + after.mirrors();
            };
            b.append(String.format(Locale.ROOT, "  %-12s %s%n", a.label(), detail));
        }
        return b.toString();
    }

    private static String outcome(RouteDecision d) {
        return switch (d.outcome()) {
            case FORWARD -> "forward";
            case NO_ROUTE -> "no route (404 NR)";
            case REDIRECT -> "redirect " + d.localStatus() + " " + d.location();
            case DIRECT_RESPONSE -> "direct response " + d.localStatus();
        };
    }

    private static String rewrite(RouteDecision d) {
        return d.path() + (d.authority() == null ? "" : " authority " + d.authority());
    }

    private static String timeout(RouteDecision d) {
        return d.timeout() == null ? "none" : RouteDecision.millis(d.timeout());
    }
}
