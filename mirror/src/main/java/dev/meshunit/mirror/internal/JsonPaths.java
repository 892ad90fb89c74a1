package dev.meshunit.mirror.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * JSON paths as MeshUnit prints them ({@code $.user.name}, {@code $.items[3].id}, {@code $['odd key']}) and
 * patterns over them: {@code [*]} is any index, {@code *} any one field or index, and a pattern also covers
 * everything below what it names ({@code $.meta} ignores {@code $.meta.took}).
 */
public final class JsonPaths {
    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$-]*");
    private static final Pattern SEGMENT = Pattern.compile("\\.([^.\\[]+)|\\[(\\d+|\\*)]|\\['((?:[^'\\\\]|\\\\.)*)']");

    private JsonPaths() {}

    public static String field(String parent, String name) {
        if (PLAIN_NAME.matcher(name).matches()) return parent + "." + name;
        return parent + "['" + name.replace("\\", "\\\\").replace("'", "\\'") + "']";
    }

    public static String index(String parent, int i) {
        return parent + "[" + i + "]";
    }

    /** The path with every array index made {@code [*]}: what a learned noise field is kept as. */
    public static String generalize(String path) {
        return path.replaceAll("\\[\\d+]", "[*]");
    }

    /** Whether {@code pattern} names {@code path} or a field above it. Non-JSON paths must be equal. */
    public static boolean matches(String pattern, String path) {
        if (!pattern.startsWith("$") || !path.startsWith("$")) return pattern.equals(path);
        List<String> p = segments(pattern);
        List<String> s = segments(path);
        if (p == null || s == null || p.size() > s.size()) return false;
        for (int i = 0; i < p.size(); i++) {
            String want = p.get(i);
            String got = s.get(i);
            boolean ok = want.equals(got) || want.equals("*")
                    || (want.equals("[*]") && got.startsWith("[") && !got.startsWith("['"));
            if (!ok) return false;
        }
        return true;
    }

    /** The segments after {@code $}: names as themselves, indices as {@code [n]}; null when not a path. */
    static List<String> segments(String path) {
        List<String> out = new ArrayList<>();
        Matcher m = SEGMENT.matcher(path);
        int at = 1;
        while (at < path.length()) {
            if (!m.find(at) || m.start() != at) return null;
            if (m.group(1) != null) out.add(m.group(1));
            else if (m.group(2) != null) out.add("[" + m.group(2) + "]");
            else out.add(m.group(3).replace("\\'", "'").replace("\\\\", "\\"));
            at = m.end();
        }
        return out;
    }
}
