package dev.meshunit.route;

import dev.meshunit.route.DecisionChange.Aspect;

/**
 * A declared expectation of a routing diff: changes to requests for {@code service} (short name or FQDN; null: any
 * service) in {@code aspect} (null: any aspect) are intended. Parsed from {@code reviews}, {@code reviews:destination}
 * or {@code *:timeout}.
 */
public record ChangeAllowance(String service, Aspect aspect) {

    public static ChangeAllowance parse(String text) {
        String t = text.strip();
        if (t.isEmpty()) throw new IllegalArgumentException("empty expectation: use SERVICE, SERVICE:ASPECT or *:ASPECT");
        int colon = t.indexOf(':');
        String service = colon < 0 ? t : t.substring(0, colon);
        Aspect aspect = colon < 0 || t.substring(colon + 1).isBlank() ? null : Aspect.of(t.substring(colon + 1).strip());
        return new ChangeAllowance(service.isEmpty() || service.equals("*") ? null : service, aspect);
    }

    /** Whether this allows {@code aspect} to change for the request and decisions of {@code change}. */
    public boolean allows(RouteRequest request, RouteDecision before, RouteDecision after, Aspect changed) {
        if (aspect != null && aspect != changed) return false;
        if (service == null) return true;
        if (names(request.host())) return true;
        for (RouteDecision d : new RouteDecision[] {before, after}) {
            for (RouteDecision.Target t : d.destinations()) {
                if (names(t.host())) return true;
            }
        }
        return false;
    }

    private boolean names(String host) {
        return host.equals(service) || host.startsWith(service + ".");
    }

    @Override
    public String toString() {
        return (service == null ? "*" : service) + (aspect == null ? "" : ":" + aspect.label());
    }
}
