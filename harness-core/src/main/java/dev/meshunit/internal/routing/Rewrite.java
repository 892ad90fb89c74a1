package dev.meshunit.internal.routing;

import com.google.re2j.Pattern;
import dev.meshunit.config.HttpRewrite;

/** A compiled {@code rewrite}: path (prefix-aware or by RE2 regex) and authority. */
public final class Rewrite {
    public static final Rewrite NONE = new Rewrite(null, null, null, null);

    private final String uri;
    private final Pattern regex;
    private final String replacement;
    private final String authority;

    private Rewrite(String uri, Pattern regex, String replacement, String authority) {
        this.uri = uri;
        this.regex = regex;
        this.replacement = replacement;
        this.authority = authority;
    }

    static Rewrite of(HttpRewrite r) {
        if (r == null) return NONE;
        Pattern p = null;
        String repl = null;
        if (r.uriRegexRewrite() != null && r.uriRegexRewrite().match() != null) {
            p = Pattern.compile(r.uriRegexRewrite().match());
            repl = toRe2jReplacement(r.uriRegexRewrite().rewrite() == null ? "" : r.uriRegexRewrite().rewrite());
        }
        return new Rewrite(r.uri(), p, repl, r.authority());
    }

    /** Istio writes capture references as {@code \1}; RE2/J expects {@code $1}. */
    static String toRe2jReplacement(String istio) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < istio.length(); i++) {
            char c = istio.charAt(i);
            if (c == '\\' && i + 1 < istio.length() && Character.isDigit(istio.charAt(i + 1))) {
                b.append('$');
            } else if (c == '$') {
                b.append("\\$");
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    public boolean rewritesPath() {
        return uri != null || regex != null;
    }

    public String authority() {
        return authority;
    }

    /**
     * The new path. After a prefix match only the matched prefix is replaced (Envoy's prefix_rewrite);
     * otherwise the whole path is.
     */
    public String path(String path, String matchedPrefix) {
        if (regex != null) return regex.matcher(path).replaceAll(replacement);
        if (uri == null) return path;
        if (matchedPrefix != null && path.startsWith(matchedPrefix)) {
            return uri + path.substring(matchedPrefix.length());
        }
        return uri;
    }
}
