package dev.meshunit.config.load.internal;

import dev.meshunit.config.load.internal.Node.Entry;
import dev.meshunit.config.load.internal.Node.MapNode;
import dev.meshunit.config.load.internal.Node.Scalar;
import dev.meshunit.config.load.internal.Node.SeqNode;
import dev.meshunit.config.load.internal.Node.Type;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Typed access to the fields of one YAML object. Every name asked for becomes an allowed name, so that
 * {@link #done()} can report unknown fields with the list of what would have been accepted. Keys are
 * matched in camelCase and snake_case, as protobuf's JSON mapping does.
 *
 * <p>Longer than 300 lines because every typed reader (scalars, durations, percents, lists, maps) must add to the
 * one set of allowed names and report through the one path-naming problem helper of its object; split, each part
 * would need both.
 */
public final class Fields {
    private final MapNode node;
    private final String path;
    private final Ctx ctx;
    private final Map<String, Entry> byName = new LinkedHashMap<>();
    private final Set<String> allowed = new LinkedHashSet<>();

    Fields(MapNode node, String path, Ctx ctx) {
        this.node = node;
        this.path = path;
        this.ctx = ctx;
        ctx.at(path, node.mark());
        for (Entry e : node.entries()) {
            String name = camel(e.key());
            if (byName.putIfAbsent(name, e) != null) {
                ctx.error(join(path, name), e.keyMark(), "duplicate field \"" + e.key() + "\"");
            }
            if (!(e.value() instanceof Scalar s && s.type() == Type.NULL)) ctx.at(join(path, name), e.value().mark());
        }
    }

    /** Fields of {@code n}, or null (after reporting) when {@code n} is not an object. */
    static Fields of(Node n, String path, Ctx ctx) {
        if (n instanceof MapNode m) return new Fields(m, path, ctx);
        ctx.error(path, n.mark(), "expected object, got " + Node.describe(n));
        return null;
    }

    Ctx ctx() {
        return ctx;
    }

    /** The object these fields belong to, for problems about a field that is missing. */
    Node nodeItself() {
        return node;
    }

    String path(String name) {
        return join(path, name);
    }

    boolean has(String name) {
        return node(name) != null;
    }

    /** The value of {@code name}, or null when absent or YAML null. */
    Node node(String name) {
        allowed.add(name);
        Entry e = byName.get(name);
        if (e == null || e.value() instanceof Scalar s && s.type() == Type.NULL) return null;
        return e.value();
    }

    String string(String name) {
        Scalar s = scalar(name, "string");
        if (s == null) return null;
        if (s.type() != Type.STRING) return typeError(name, s, "string");
        return text(name, s);
    }

    Boolean bool(String name) {
        Scalar s = scalar(name, "boolean");
        if (s == null) return null;
        if (s.type() != Type.BOOL) return typeError(name, s, "boolean");
        return Boolean.valueOf(s.text());
    }

    Integer integer(String name) {
        Long l = longValue(name);
        if (l == null) return null;
        if (l < Integer.MIN_VALUE || l > Integer.MAX_VALUE) return typeError(name, node(name), "32-bit integer");
        return l.intValue();
    }

    /** Protobuf's JSON mapping also accepts integers written as strings (and placeholders give strings). */
    Long longValue(String name) {
        Scalar s = scalar(name, "integer");
        if (s == null) return null;
        if (s.type() != Type.INT && s.type() != Type.STRING) return typeError(name, s, "integer");
        String text = text(name, s);
        if (text == null) return null;
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            return typeError(name, s, "integer");
        }
    }

    Double number(String name) {
        Scalar s = scalar(name, "number");
        if (s == null) return null;
        if (s.type() == Type.BOOL || s.type() == Type.NULL) return typeError(name, s, "number");
        String text = text(name, s);
        if (text == null) return null;
        try {
            return new BigDecimal(text.trim()).doubleValue();
        } catch (NumberFormatException e) {
            return typeError(name, s, "number");
        }
    }

    /** Istio's {@code Percent} message ({@code {value: 12.5}}); a bare number is accepted too. */
    Double percent(String name) {
        Node n = node(name);
        if (n == null) return null;
        if (n instanceof Scalar) return number(name);
        Fields f = Fields.of(n, path(name), ctx);
        if (f == null) return null;
        Double v = f.number("value");
        f.done();
        return v == null ? 0.0 : v;
    }

    Duration duration(String name) {
        Scalar s = scalar(name, "duration");
        if (s == null) return null;
        if (s.type() != Type.STRING) return typeError(name, s, "duration (e.g. \"1s\", \"500ms\")");
        String text = text(name, s);
        if (text == null) return null;
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            return typeError(name, s, "duration (e.g. \"1s\", \"500ms\", \"1m30s\")");
        }
    }

    <E extends Enum<E>> E enumValue(String name, Class<E> type) {
        String s = string(name);
        if (s == null) return null;
        for (E e : type.getEnumConstants()) if (e.name().equals(s)) return e;
        String all = Arrays.stream(type.getEnumConstants()).map(Enum::name).collect(Collectors.joining(", "));
        ctx.error(path(name), node(name).mark(), "unknown value \"" + s + "\"; allowed: " + all);
        return null;
    }

    /** A string restricted to {@code values} (for fields the records keep as strings). */
    String oneOf(String name, String... values) {
        String s = string(name);
        if (s != null && !Arrays.asList(values).contains(s)) {
            ctx.error(path(name), node(name).mark(), "unknown value \"" + s + "\"; allowed: " + String.join(", ", values));
            return null;
        }
        return s;
    }

    <T> T object(String name, Function<Fields, T> bind) {
        Node n = node(name);
        return n == null ? null : objectItem(bind).bind(n, path(name));
    }

    <T> List<T> list(String name, Function<Fields, T> bind) {
        return items(name, objectItem(bind));
    }

    List<String> strings(String name) {
        return items(name, (n, p) -> stringValue(n, p, "string"));
    }

    List<Integer> integers(String name) {
        return items(name, this::intItem);
    }

    Map<String, String> stringMap(String name) {
        return entries(name, (n, p) -> stringValue(n, p, "string"));
    }

    Map<String, Integer> intMap(String name) {
        return entries(name, this::intItem);
    }

    /** Maps whose values are objects (header matchers); the keys are user data, never renamed. */
    <T> Map<String, T> objectMap(String name, Function<Fields, T> bind) {
        return entries(name, objectItem(bind));
    }

    /** Untyped plain-Java copy, for settings MeshUnit keeps but does not interpret. */
    Map<String, Object> raw(String name) {
        Node n = node(name);
        if (!(n instanceof MapNode)) return null;
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) plain(n);
        return m;
    }

    /** A field that binds to nothing: accepted, and reported as not acted on. */
    void notActedOn(String name, String reason) {
        Node n = node(name);
        if (n != null) ctx.warning(path(name), n.mark(), "accepted but not acted on by MeshUnit (" + reason + ")", null);
    }

    /** Reports keys nobody asked for, naming the allowed ones. */
    void done() {
        for (Map.Entry<String, Entry> e : byName.entrySet()) {
            if (!allowed.contains(e.getKey())) {
                Entry entry = e.getValue();
                ctx.error(path(entry.key()), entry.keyMark(),
                        "unknown field \"" + entry.key() + "\"; allowed: " + String.join(", ", allowed));
            }
        }
    }

    private interface Item<T> {
        T bind(Node n, String path);
    }

    private <T> Item<T> objectItem(Function<Fields, T> bind) {
        return (n, p) -> {
            Fields f = Fields.of(n, p, ctx);
            if (f == null) return null;
            T t = bind.apply(f);
            f.done();
            return t;
        };
    }

    private Integer intItem(Node n, String p) {
        if (n instanceof Scalar sc && sc.type() != Type.INT && sc.type() != Type.STRING) {
            ctx.error(p, n.mark(), "expected integer, got " + Node.describe(n));
            return null;
        }
        String s = stringValue(n, p, "integer");
        try {
            return s == null ? null : Integer.valueOf(s.trim());
        } catch (NumberFormatException e) {
            ctx.error(p, n.mark(), "expected integer, got " + Node.describe(n));
            return null;
        }
    }

    private <T> List<T> items(String name, Item<T> bind) {
        Node n = node(name);
        if (n == null) return null;
        if (!(n instanceof SeqNode seq)) return typeError(name, n, "list");
        List<T> out = new ArrayList<>();
        for (int i = 0; i < seq.items().size(); i++) {
            Node item = seq.items().get(i);
            String p = path(name) + "[" + i + "]";
            ctx.at(p, item.mark());
            T t = bind.bind(item, p);
            if (t != null) out.add(t);
        }
        return out;
    }

    private <T> Map<String, T> entries(String name, Item<T> bind) {
        Node n = node(name);
        if (n == null) return null;
        if (!(n instanceof MapNode m)) return typeError(name, n, "object");
        Map<String, T> out = new LinkedHashMap<>();
        for (Entry e : m.entries()) {
            String p = path(name) + "." + e.key();
            ctx.at(p, e.value().mark());
            T t = bind.bind(e.value(), p);
            if (t != null) out.put(e.key(), t);
        }
        return out;
    }

    private String stringValue(Node n, String p, String expected) {
        if (n instanceof Scalar s && s.type() != Type.NULL) {
            if (expected.equals("string") && s.type() != Type.STRING) {
                ctx.error(p, n.mark(), "expected string, got " + Node.describe(n));
                return null;
            }
            return ctx.substitute(s.text(), p, s.mark());
        }
        ctx.error(p, n.mark(), "expected " + expected + ", got " + Node.describe(n));
        return null;
    }

    private Scalar scalar(String name, String expected) {
        Node n = node(name);
        if (n == null) return null;
        if (n instanceof Scalar s) return s;
        return typeError(name, n, expected);
    }

    private String text(String name, Scalar s) {
        return ctx.substitute(s.text(), path(name), s.mark());
    }

    private <T> T typeError(String name, Node n, String expected) {
        ctx.error(path(name), n.mark(), "expected " + expected + ", got " + Node.describe(n));
        return null;
    }

    private static Object plain(Node n) {
        if (n instanceof MapNode m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.entries().forEach(e -> out.put(e.key(), plain(e.value())));
            return out;
        }
        if (n instanceof SeqNode s) return s.items().stream().map(Fields::plain).toList();
        return ((Scalar) n).text();
    }

    static String camel(String key) {
        if (key.indexOf('_') < 0) return key;
        StringBuilder out = new StringBuilder();
        boolean up = false;
        for (char c : key.toCharArray()) {
            if (c == '_') {
                up = true;
            } else {
                out.append(up ? Character.toUpperCase(c) : c);
                up = false;
            }
        }
        return out.toString();
    }

    static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }
}
