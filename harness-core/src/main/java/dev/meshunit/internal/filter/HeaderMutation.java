package dev.meshunit.internal.filter;

import dev.meshunit.config.HeaderOperations;
import dev.meshunit.internal.http.HeaderMap;
import java.util.List;
import java.util.Map;

/** A compiled set/add/remove list applied in Envoy's order: set, then add, then remove. */
public final class HeaderMutation {
    public static final HeaderMutation NONE = new HeaderMutation(HeaderOperations.NONE);

    private final Map<String, String> set;
    private final Map<String, String> add;
    private final List<String> remove;
    private final boolean empty;
    private final String authorityOverride;

    public HeaderMutation(HeaderOperations ops) {
        this.set = ops.set();
        this.add = ops.add();
        this.remove = ops.remove();
        this.empty = set.isEmpty() && add.isEmpty() && remove.isEmpty();
        this.authorityOverride = findAuthorityOverride(); // asked on every request: found once
    }

    public boolean isEmpty() {
        return empty;
    }

    public void apply(HeaderMap headers) {
        if (empty) return;
        set.forEach(headers::set);
        add.forEach(headers::add);
        remove.forEach(headers::remove);
    }

    /** The value {@code set} or {@code add} gives the Host header, if any: Istio turns it into an authority rewrite. */
    public String authorityOverride() {
        return authorityOverride;
    }

    private String findAuthorityOverride() {
        for (Map.Entry<String, String> e : set.entrySet()) {
            if (isHost(e.getKey())) return e.getValue();
        }
        for (Map.Entry<String, String> e : add.entrySet()) {
            if (isHost(e.getKey())) return e.getValue();
        }
        return null;
    }

    private static boolean isHost(String name) {
        return name.equalsIgnoreCase("host") || name.equalsIgnoreCase(":authority");
    }
}
