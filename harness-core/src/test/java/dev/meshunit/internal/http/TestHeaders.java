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
    public String get(CharSequence name) {
        for (Map.Entry<String, String> e : entries) {
            if (e.getKey().equalsIgnoreCase(name.toString())) return e.getValue();
        }
        return null;
    }

    @Override
    public List<String> getAll(CharSequence name) {
        return entries.stream().filter(e -> e.getKey().equalsIgnoreCase(name.toString())).map(Map.Entry::getValue).toList();
    }

    @Override
    public boolean contains(CharSequence name) {
        return get(name) != null;
    }

    @Override
    public HeaderMap set(CharSequence name, Object value) {
        remove(name);
        return add(name, value);
    }

    @Override
    public HeaderMap add(CharSequence name, Object value) {
        entries.add(new AbstractMap.SimpleImmutableEntry<>(name.toString(), String.valueOf(value)));
        return this;
    }

    @Override
    public HeaderMap remove(CharSequence name) {
        entries.removeIf(e -> e.getKey().equalsIgnoreCase(name.toString()));
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
