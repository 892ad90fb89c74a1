package dev.meshunit.junit.internal.explore;

import dev.meshunit.journal.Exchange;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * A distinct call the test made through the proxy: the service (short name) and path, with the method it was first
 * seen with. Two requests to the same service and path are one call (a client's retries of it included).
 */
public record ExploredCall(String service, String path, String method) {

    /** The distinct calls of a run, in the order each was first made. */
    public static List<ExploredCall> of(List<Exchange> exchanges) {
        LinkedHashSet<ExploredCall> calls = new LinkedHashSet<>();
        List<String> keys = new ArrayList<>();
        for (Exchange e : exchanges) {
            String host = e.destination() != null && e.destination().host() != null ? e.destination().host() : e.authority();
            String service = shortName(host);
            int q = e.path().indexOf('?');
            String path = q < 0 ? e.path() : e.path().substring(0, q);
            if (keys.contains(service + " " + path)) continue;
            keys.add(service + " " + path);
            calls.add(new ExploredCall(service, path, e.method()));
        }
        return List.copyOf(calls);
    }

    static String shortName(String host) {
        if (host == null) return "(unknown)";
        int colon = host.lastIndexOf(':');
        String h = colon > 0 && host.indexOf(']') < colon ? host.substring(0, colon) : host;
        int dot = h.indexOf('.');
        return dot > 0 && !Character.isDigit(h.charAt(0)) ? h.substring(0, dot) : h;
    }

    /** Same service and path: what the fault is matched on. */
    public boolean sameAs(ExploredCall other) {
        return service.equals(other.service) && path.equals(other.path);
    }

    @Override
    public String toString() {
        return service + " " + method + " " + path;
    }
}
