package dev.meshunit.config;

import java.util.List;
import java.util.Map;

/** set overwrites, add appends, remove deletes, in that order as Envoy applies them. */
public record HeaderOperations(Map<String, String> set, Map<String, String> add, List<String> remove) {
    public static final HeaderOperations NONE = new HeaderOperations(null, null, null);

    public HeaderOperations {
        set = Immutables.map(set);
        add = Immutables.map(add);
        remove = Immutables.list(remove);
    }

    public boolean isEmpty() {
        return set.isEmpty() && add.isEmpty() && remove.isEmpty();
    }
}
