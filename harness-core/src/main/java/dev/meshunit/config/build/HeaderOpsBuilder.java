package dev.meshunit.config.build;

import dev.meshunit.config.HeaderOperations;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** set, add and remove of headers, kept in the order given. */
public final class HeaderOpsBuilder {
    private final Map<String, String> set = new LinkedHashMap<>();
    private final Map<String, String> add = new LinkedHashMap<>();
    private final List<String> remove = new ArrayList<>();

    HeaderOpsBuilder() {}

    public HeaderOpsBuilder set(String name, String value) {
        set.put(name, value);
        return this;
    }

    public HeaderOpsBuilder add(String name, String value) {
        add.put(name, value);
        return this;
    }

    public HeaderOpsBuilder remove(String name) {
        remove.add(name);
        return this;
    }

    HeaderOperations build() {
        return set.isEmpty() && add.isEmpty() && remove.isEmpty() ? null : new HeaderOperations(set, add, remove);
    }
}
