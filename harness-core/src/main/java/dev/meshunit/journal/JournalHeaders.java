package dev.meshunit.journal;

import io.netty.handler.codec.http.HttpHeaderNames;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * Headers as the journal keeps them: an immutable map of lower-case names, in arrival order, to their values in
 * order. Compact because the journal retains thousands: two arrays instead of a map with a list per name;
 * common names are shared strings, and the sizes the journal's limits and byte budget need are counted once
 * here. Built in one linear pass, however many duplicates a request has.
 */
public final class JournalHeaders extends AbstractMap<String, List<String>> {
    public static final JournalHeaders EMPTY = new JournalHeaders(new String[0], new Object[0], 0, 0);

    /**
     * Names most requests and answers carry, so that journalled exchanges share one copy of each; Netty's
     * constants where it has one, since its HTTP/1 request decoder hands those over for Host, Connection,
     * Content-Type, Content-Length and Accept, as the proxy's own code sets many others.
     */
    private static final CommonNames COMMON = new CommonNames(HttpHeaderNames.HOST, HttpHeaderNames.USER_AGENT,
            HttpHeaderNames.ACCEPT, HttpHeaderNames.ACCEPT_ENCODING, HttpHeaderNames.ACCEPT_LANGUAGE,
            HttpHeaderNames.CONTENT_TYPE, HttpHeaderNames.CONTENT_LENGTH, HttpHeaderNames.CONNECTION, HttpHeaderNames.COOKIE,
            HttpHeaderNames.AUTHORIZATION, "x-request-id", "x-forwarded-proto", "x-forwarded-for", "x-envoy-attempt-count",
            "x-envoy-original-path", "traceparent", "tracestate", "x-b3-traceid", "x-b3-spanid", "x-b3-sampled",
            HttpHeaderNames.CACHE_CONTROL, HttpHeaderNames.TE, "grpc-timeout", "grpc-encoding", "grpc-accept-encoding",
            HttpHeaderNames.ORIGIN, HttpHeaderNames.REFERER, "end-user", "x-envoy-upstream-service-time");

    private final String[] names;
    private final Object[] values; // a String, or a String[] for a name that came more than once
    private final int count;
    private final long bytes;

    private JournalHeaders(String[] names, Object[] values, int count, long bytes) {
        this.names = names;
        this.values = values;
        this.count = count;
        this.bytes = bytes;
    }

    /** Headers from name and value pairs (any case, any order); a name that comes again adds a value. */
    public static JournalHeaders of(Iterable<? extends Map.Entry<? extends CharSequence, ? extends CharSequence>> headers) {
        Builder b = new Builder();
        for (Map.Entry<? extends CharSequence, ? extends CharSequence> e : headers) b.add(e.getKey(), e.getValue());
        return b.build();
    }

    /** The same headers as {@code map} (names lower-cased), or {@code map} itself when it is journal headers. */
    public static JournalHeaders copyOf(Map<String, List<String>> map) {
        if (map instanceof JournalHeaders j) return j;
        if (map.isEmpty()) return EMPTY;
        Builder b = new Builder();
        for (Map.Entry<String, List<String>> e : map.entrySet()) {
            for (String v : e.getValue()) b.add(e.getKey(), v);
        }
        return b.build();
    }

    /** Collects header lines in order. Not thread-safe; one per snapshot. */
    public static final class Builder {
        private String[] names;
        private Object[] values;
        private int distinct;
        private int count;
        private long bytes;
        private HashMap<String, Integer> index; // only once there are many names: keeps adding linear

        public Builder() {
            this(8);
        }

        /** For about {@code expected} header lines. */
        public Builder(int expected) {
            names = new String[Math.max(1, expected)];
            values = new Object[names.length];
        }

        public Builder add(CharSequence name, CharSequence value) {
            return addExact(lowerName(name), value);
        }

        /** A line whose name is kept as given (the journal unpacking what it packed). */
        Builder addExact(String n, CharSequence value) {
            String v = value == null ? "" : value.length() == 1 ? digit(value) : value.toString();
            count++;
            bytes += (long) n.length() + v.length();
            int i = find(n);
            if (i < 0) {
                if (distinct == names.length) {
                    names = Arrays.copyOf(names, distinct * 2);
                    values = Arrays.copyOf(values, distinct * 2);
                }
                names[distinct] = n;
                values[distinct] = v;
                if (index != null) index.put(n, distinct);
                distinct++;
                if (index == null && distinct > 16) {
                    index = new HashMap<>();
                    for (int k = 0; k < distinct; k++) index.put(names[k], k);
                }
            } else if (values[i] instanceof String first) {
                ArrayList<String> more = new ArrayList<>(4);
                more.add(first);
                more.add(v);
                values[i] = more;
            } else {
                @SuppressWarnings("unchecked")
                ArrayList<String> more = (ArrayList<String>) values[i];
                more.add(v);
            }
            return this;
        }

        private int find(String n) {
            if (index != null) {
                Integer i = index.get(n);
                return i == null ? -1 : i;
            }
            for (int i = 0; i < distinct; i++) {
                if (names[i].equals(n)) return i;
            }
            return -1;
        }

        /** The snapshot; it takes the builder's arrays when they fit exactly, so the builder is done with. */
        public JournalHeaders build() {
            if (count == 0) return EMPTY;
            Object[] vs = distinct == values.length ? values : Arrays.copyOf(values, distinct);
            for (int i = 0; i < distinct; i++) {
                if (vs[i] instanceof ArrayList<?> many) vs[i] = many.toArray(new String[0]);
            }
            return new JournalHeaders(distinct == names.length ? names : Arrays.copyOf(names, distinct), vs, count, bytes);
        }
    }

    private static final String[] DIGITS = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};

    /** One-digit values (x-envoy-attempt-count, flags) shared between exchanges. */
    private static String digit(CharSequence v) {
        char c = v.charAt(0);
        return c >= '0' && c <= '9' ? DIGITS[c - '0'] : v.toString();
    }

    private static String lowerName(CharSequence name) {
        String common = COMMON.find(name);
        return common != null ? common : name.toString().toLowerCase(Locale.ROOT);
    }

    /** Header lines (values), counting each value of a repeated name. */
    public int valueCount() {
        return count;
    }

    /** Characters of all names and values, each name counted once per value (what the journal's limit counts). */
    public long nameValueBytes() {
        return bytes;
    }

    @Override
    public int size() {
        return names.length;
    }

    @Override
    public boolean containsKey(Object key) {
        return indexOf(key) >= 0;
    }

    @Override
    public List<String> get(Object key) {
        int i = indexOf(key);
        return i < 0 ? null : valuesAt(i);
    }

    private int indexOf(Object key) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(key)) return i;
        }
        return -1;
    }

    private List<String> valuesAt(int i) {
        return values[i] instanceof String s ? List.of(s) : List.of((String[]) values[i]);
    }

    /** The values of the {@code i}th name as stored: a String, or a String[] for a name that came more than once. */
    Object rawValuesAt(int i) {
        return values[i];
    }

    String nameAt(int i) {
        return names[i];
    }

    /** For the journal's byte estimate: each distinct name, then each of its values, without building lists. */
    long estimate(long perName, long perValue, java.util.function.ToLongFunction<String> string) {
        long b = 0;
        for (int i = 0; i < names.length; i++) {
            b += perName + string.applyAsLong(names[i]);
            if (values[i] instanceof String s) {
                b += perValue + string.applyAsLong(s);
            } else {
                for (String s : (String[]) values[i]) b += perValue + string.applyAsLong(s);
            }
        }
        return b + 16L * names.length; // the two arrays' slots
    }

    @Override
    public Set<Map.Entry<String, List<String>>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Map.Entry<String, List<String>>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < names.length;
                    }

                    @Override
                    public Map.Entry<String, List<String>> next() {
                        if (next >= names.length) throw new NoSuchElementException();
                        int i = next++;
                        return new SimpleImmutableEntry<>(names[i], valuesAt(i));
                    }
                };
            }

            @Override
            public int size() {
                return names.length;
            }
        };
    }
}
