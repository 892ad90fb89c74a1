package dev.meshunit.route;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the proxy would do with one request, decided without a backend: the rule that matched, where the request
 * would go (every destination of a weighted split with its share, not one draw), the path and authority after
 * rewrites, the route's fault, timeout and retry policy, and the mirror targets. For a redirect or direct
 * response, {@code localStatus} is the status the proxy itself answers (404 for no route).
 *
 * @param route Envoy's route name ({@code reviews/http[0]}, {@code default:reviews.default.svc.cluster.local}), or
 *     null when no route matched
 * @param timeout the route timeout, null when none
 */
public record RouteDecision(RouteRequest request, Outcome outcome, String route, String virtualService,
        List<Target> destinations, String path, String authority, FaultSpec fault, Duration timeout, RetrySpec retries,
        List<Mirror> mirrors, int localStatus, String location) {

    public RouteDecision {
        destinations = List.copyOf(destinations);
        mirrors = List.copyOf(mirrors);
    }

    public enum Outcome { FORWARD, REDIRECT, DIRECT_RESPONSE, NO_ROUTE }

    /**
     * One destination of the route: service FQDN, subset (null for all endpoints), port, its share of the requests
     * (0-1, from the weights) and how many endpoints its cluster has (-1: no such cluster, the proxy answers 503 NC).
     */
    public record Target(String host, String subset, int port, double share, int endpoints) {
        /** {@code reviews.default.svc.cluster.local:9080 v1}: the cluster, without its share. */
        public String cluster() {
            return host + ":" + port + (subset == null ? "" : " " + subset);
        }
    }

    /** The route's own fault: a delay and an abort, each with its percentage (0-100); zero fields for none. */
    public record FaultSpec(Duration delay, double delayPercent, int abortStatus, String grpcStatus, double abortPercent) {
        public static final FaultSpec NONE = new FaultSpec(Duration.ZERO, 0, 0, null, 0);

        public boolean isNone() {
            return (delay.isZero() || delayPercent <= 0) && ((abortStatus == 0 && grpcStatus == null) || abortPercent <= 0);
        }

        @Override
        public String toString() {
            if (isNone()) return "none";
            List<String> parts = new ArrayList<>();
            if (!delay.isZero() && delayPercent > 0) parts.add("delay " + millis(delay) + " at " + percent(delayPercent));
            if ((abortStatus > 0 || grpcStatus != null) && abortPercent > 0) {
                parts.add("abort " + (grpcStatus != null ? "grpc " + grpcStatus : abortStatus) + " at " + percent(abortPercent));
            }
            return String.join(", ", parts);
        }
    }

    /** Retries the router makes: count, per-try timeout (null: none), conditions ({@code 5xx,connect-failure}). */
    public record RetrySpec(int attempts, Duration perTryTimeout, String retryOn) {
        @Override
        public String toString() {
            if (attempts == 0) return "none";
            return attempts + " on " + retryOn + (perTryTimeout == null ? "" : ", per try " + millis(perTryTimeout));
        }
    }

    /** A shadow destination and the share of requests copied to it (0-100). */
    public record Mirror(String host, String subset, int port, double percent) {
        @Override
        public String toString() {
            return host + ":" + port + (subset == null ? "" : " " + subset) + " at " + RouteDecision.percent(percent);
        }
    }

    public boolean routed() {
        return outcome != Outcome.NO_ROUTE;
    }

    /** The split as {@code v1 80% / v2 20%}, or one destination's cluster. */
    public String split() {
        if (destinations.isEmpty()) return "-";
        List<String> parts = new ArrayList<>();
        for (Target t : destinations) {
            String name = destinations.size() > 1 && sameHostAndPort() ? (t.subset() == null ? "(all)" : t.subset()) : t.cluster();
            parts.add(destinations.size() > 1 ? name + " " + percent(t.share() * 100) : name);
        }
        return String.join(" / ", parts);
    }

    private boolean sameHostAndPort() {
        Target first = destinations.get(0);
        return destinations.stream().allMatch(t -> t.host().equals(first.host()) && t.port() == first.port());
    }

    /** A few lines, one aspect each, as {@code meshunit route} prints them. */
    public String describe() {
        StringBuilder b = new StringBuilder();
        line(b, "request", request.toString());
        switch (outcome) {
            case NO_ROUTE -> line(b, "route", "none: 404 NR");
            case REDIRECT -> line(b, "route", route + ": redirect " + localStatus + " to " + location);
            case DIRECT_RESPONSE -> line(b, "route", route + ": direct response " + localStatus);
            case FORWARD -> {
                line(b, "route", route);
                for (Target t : destinations) {
                    line(b, "destination", t.cluster() + (destinations.size() > 1 ? " " + percent(t.share() * 100) : "")
                            + (t.endpoints() < 0 ? " (no such cluster: 503 NC)"
                                    : t.endpoints() == 0 ? " (no endpoints: 503 UH)" : " (" + t.endpoints() + " endpoints)"));
                }
                line(b, "path", path);
                if (authority != null) line(b, "authority", authority);
                line(b, "fault", fault.toString());
                line(b, "timeout", timeout == null ? "none" : millis(timeout));
                line(b, "retries", retries.toString());
                line(b, "mirrors", mirrors.isEmpty() ? "none" : mirrors.stream().map(Mirror::toString).reduce((x, y) -> x + ", " + y).get());
            }
        }
        return b.toString();
    }

    private static void line(StringBuilder b, String name, String value) {
        b.append(String.format(Locale.ROOT, "  %-12s %s%n", name, value));
    }

    static String percent(double p) {
        return p == Math.rint(p) ? (long) p + "%" : String.format(Locale.ROOT, "%.2f%%", p);
    }

    static String millis(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 && ms > 0 ? ms / 1000 + "s" : ms + "ms";
    }
}
