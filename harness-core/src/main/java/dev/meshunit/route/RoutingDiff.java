package dev.meshunit.route;

import dev.meshunit.config.IstioConfig;
import dev.meshunit.route.DecisionChange.Aspect;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The same requests routed through two configs: every request whose decision changed, with before and after.
 * A change is allowed only when a declared {@link ChangeAllowance} covers each of its aspects; with none declared,
 * every change is unexpected. {@code RoutingDiff.between(old, next).allow("reviews:destination").run(requests)}.
 */
public final class RoutingDiff {
    private final DryRun before;
    private final DryRun after;
    private final List<ChangeAllowance> allowances;

    private RoutingDiff(DryRun before, DryRun after, List<ChangeAllowance> allowances) {
        this.before = Objects.requireNonNull(before, "before");
        this.after = Objects.requireNonNull(after, "after");
        this.allowances = List.copyOf(allowances);
    }

    public static RoutingDiff between(IstioConfig before, IstioConfig after) {
        return between(DryRun.of(before), DryRun.of(after));
    }

    public static RoutingDiff between(DryRun before, DryRun after) {
        return new RoutingDiff(before, after, List.of());
    }

    /** A copy that also allows these changes ({@code reviews}, {@code reviews:destination}, {@code *:timeout}). */
    public RoutingDiff allow(String... expectations) {
        List<ChangeAllowance> next = new ArrayList<>(allowances);
        for (String e : expectations) next.add(ChangeAllowance.parse(e));
        return new RoutingDiff(before, after, next);
    }

    public List<ChangeAllowance> allowances() {
        return allowances;
    }

    public Result run(List<RouteRequest> requests) {
        List<DecisionChange> changes = new ArrayList<>();
        for (RouteRequest r : requests) {
            RouteDecision b = before.decide(r);
            RouteDecision a = after.decide(r);
            List<Aspect> aspects = DecisionChange.compare(b, a);
            if (aspects.isEmpty()) continue;
            boolean allowed = aspects.stream().allMatch(x -> allowances.stream().anyMatch(al -> al.allows(r, b, a, x)));
            changes.add(new DecisionChange(r, b, a, aspects, allowed));
        }
        return new Result(requests.size(), changes);
    }

    /** How many requests were routed, and those whose decision changed, in request order. */
    public record Result(int requests, List<DecisionChange> changes) {
        public Result {
            changes = List.copyOf(changes);
        }

        public List<DecisionChange> unexpected() {
            return changes.stream().filter(c -> !c.allowed()).toList();
        }

        public boolean hasUnexpected() {
            return !unexpected().isEmpty();
        }

        /** Each change, then {@code 12 requests, 3 decisions changed (1 allowed, 2 unexpected)}. */
        public String describe() {
            StringBuilder b = new StringBuilder();
            for (DecisionChange c : changes) b.append(c.describe()).append(System.lineSeparator());
            int unexpected = unexpected().size();
            b.append(requests).append(requests == 1 ? " request, " : " requests, ").append(changes.size())
                    .append(changes.size() == 1 ? " decision changed" : " decisions changed");
            if (!changes.isEmpty()) b.append(" (").append(changes.size() - unexpected).append(" allowed, ").append(unexpected).append(" unexpected)");
            return b.append(System.lineSeparator()).toString();
        }
    }
}
