package dev.meshunit.internal.filter;

import dev.meshunit.config.HeaderOperations;
import dev.meshunit.internal.http.HeaderMap;
import io.netty.util.AsciiString;
import java.util.Collection;
import java.util.Map;

/** A compiled set/add/remove list applied in Envoy's order: set, then add, then remove. */
public final class HeaderMutation {
    public static final HeaderMutation NONE = new HeaderMutation(HeaderOperations.NONE);

    private final Map<String, String> set;
    private final Map<String, String> add;
    // The same operations with names as AsciiString: hashed once here, not on every request.
    private final AsciiString[] setNames, addNames, removeNames;
    private final String[] setValues, addValues;
    private final boolean empty;
    private final String authorityOverride;

    public HeaderMutation(HeaderOperations ops) {
        this.set = ops.set();
        this.add = ops.add();
        this.setNames = names(set.keySet());
        this.setValues = set.values().toArray(new String[0]);
        this.addNames = names(add.keySet());
        this.addValues = add.values().toArray(new String[0]);
        this.removeNames = names(ops.remove());
        this.empty = setNames.length == 0 && addNames.length == 0 && removeNames.length == 0;
        this.authorityOverride = findAuthorityOverride(); // asked on every request: found once
    }

    public boolean isEmpty() {
        return empty;
    }

    public void apply(HeaderMap headers) {
        if (empty) return;
        for (int i = 0; i < setNames.length; i++) headers.set(setNames[i], setValues[i]);
        for (int i = 0; i < addNames.length; i++) headers.add(addNames[i], addValues[i]);
        for (AsciiString name : removeNames) headers.remove(name);
    }

    private static AsciiString[] names(Collection<String> names) {
        return names.stream().map(AsciiString::of).toArray(AsciiString[]::new);
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
