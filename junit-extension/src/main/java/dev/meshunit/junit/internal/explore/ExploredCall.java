package dev.meshunit.junit.internal.explore;

import dev.meshunit.journal.Exchange;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * A distinct call the test made through the proxy: the service (short name) and path, with the method it was first
 * seen with; or, when the requests carry the call-key header ({@code keyHeader}), the service and that header's
 * value. Two requests with the same identity are one call (a client's retries of it included).
 */
public record ExploredCall(String service, String path, String method, String keyHeader, String key) {

    public ExploredCall(String service, String path, String method) {
        this(service, path, method, null, null);
    }

    /** The distinct calls of a run, in the order each was first made; {@code keyHeader} may be null. */
    public static List<ExploredCall> of(List<Exchange> exchanges, String keyHeader) {
        LinkedHashSet<ExploredCall> calls = new LinkedHashSet<>();
        List<String> seen = new ArrayList<>();
        for (Exchange e : exchanges) {
            String host = e.destination() != null && e.destination().host() != null ? e.destination().host() : e.authority();
            String service = shortName(host);
            int q = e.path().indexOf('?');
            String path = q < 0 ? e.path() : e.path().substring(0, q);
            String key = keyHeader == null ? null : e.requestHeader(keyHeader);
            ExploredCall call = key == null ? new ExploredCall(service, path, e.method())
                    : new ExploredCall(service, path, e.method(), keyHeader, key);
            if (seen.contains(call.identity())) continue;
            seen.add(call.identity());
            calls.add(call);
        }
        return List.copyOf(calls);
    }

    public static List<ExploredCall> of(List<Exchange> exchanges) {
        return of(exchanges, null);
    }

    static String shortName(String host) {
        if (host == null) return "(unknown)";
        int colon = host.lastIndexOf(':');
        String h = colon > 0 && host.indexOf(']') < colon ? host.substring(0, colon) : host;
        int dot = h.indexOf('.');
        return dot > 0 && !Character.isDigit(h.charAt(0)) ? h.substring(0, dot) : h;
    }

    /** What the fault is matched on: service and path, or service and call key. */
    String identity() {
        return key == null ? service + " " + path : service + " " + keyHeader + "=" + key;
    }

    public boolean sameAs(ExploredCall other) {
        return identity().equals(other.identity());
    }

    @Override
    public String toString() {
        return service + " " + method + " " + path + (key == null ? "" : " [" + keyHeader + "=" + key + "]");
    }
}
