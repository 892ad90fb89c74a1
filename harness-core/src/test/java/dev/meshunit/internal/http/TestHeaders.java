package dev.meshunit.internal.http;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** A plain header map for unit tests: insertion order, names compared without case. */
public final class TestHeaders implements HeaderMap {
    private final List<Map.Entry<String, String>> entries = new ArrayList<>();

    public static TestHeaders of(String... namesAndValues) {
        TestHeaders h = new TestHeaders();
        for (int i = 0; i < namesAndValues.length; i += 2) h.add(namesAndValues[i], namesAndValues[i + 1]);
        return h;
    }

    @Override
    public String get(String name) {
        for (Map.Entry<String, String> e : entries) {
            if (e.getKey().equalsIgnoreCase(name)) return e.getValue();
        }
        return null;
    }

    @Override
    public List<String> getAll(String name) {
        return entries.stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue).toList();
    }

    @Override
    public boolean contains(String name) {
        return get(name) != null;
    }

    @Override
    public HeaderMap set(String name, Object value) {
        remove(name);
        return add(name, value);
    }

    @Override
    public HeaderMap add(String name, Object value) {
        entries.add(new AbstractMap.SimpleImmutableEntry<>(name, String.valueOf(value)));
        return this;
    }

    @Override
    public HeaderMap remove(String name) {
        entries.removeIf(e -> e.getKey().equalsIgnoreCase(name));
        return this;
    }

    @Override
    public HeaderMap copy() {
        TestHeaders h = new TestHeaders();
        h.entries.addAll(entries);
        return h;
    }

    @Override
    public Iterator<Map.Entry<String, String>> iterator() {
        return entries.iterator();
    }
}
