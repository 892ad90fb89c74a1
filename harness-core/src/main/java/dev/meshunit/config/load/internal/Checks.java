package dev.meshunit.config.load.internal;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.meshunit.config.Destination;
import dev.meshunit.config.StringMatch;
import java.time.Duration;
import java.util.regex.Matcher;

/** Field-level rules of Istio's validation webhook that several kinds share. */
final class Checks {
    private static final java.util.regex.Pattern DNS1123_LABEL = java.util.regex.Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final java.util.regex.Pattern HOST =
            java.util.regex.Pattern.compile("(\\*|\\*\\.)?([a-zA-Z0-9]([-a-zA-Z0-9_]*[a-zA-Z0-9])?\\.?)*");
    private static final java.util.regex.Pattern HEADER_NAME = java.util.regex.Pattern.compile("[-!#$%&'*+.^_`|~0-9a-zA-Z]+");
    static final int MAX_REGEX = 1024;

    private Checks() {}

    /** Istio: durations must be at least 1ms and of millisecond precision. */
    static void duration(Report r, String path, Duration d) {
        if (d == null) return;
        if (d.compareTo(Duration.ofMillis(1)) < 0) {
            r.error(path, "duration must be greater than 1ms, got " + Durations.format(d));
        } else if (d.toNanosPart() % 1_000_000 != 0) {
            r.error(path, "only durations to ms precision are supported, got " + Durations.format(d));
        }
    }

    static void regex(Report r, String path, String regex) {
        if (regex == null) return;
        if (regex.isEmpty()) {
            r.error(path, "regex string match should not be empty");
        } else if (regex.length() > MAX_REGEX) {
            r.error(path, "regex is too long: " + regex.length() + " characters, at most " + MAX_REGEX);
        } else {
            try {
                Pattern.compile(regex);
            } catch (PatternSyntaxException e) {
                r.error(path, "\"" + regex + "\" is not a valid regex; Istio uses RE2 style regex-based match ("
                        + e.getDescription() + ")");
            }
        }
    }

    /** Prefix matches must not be empty, except for uri. */
    static void stringMatch(Report r, String path, StringMatch m, boolean emptyPrefixAllowed) {
        if (m == null) return;
        switch (m.kind()) {
            case REGEX -> regex(r, path + ".regex", m.value());
            case PREFIX -> {
                if (!emptyPrefixAllowed && m.value().isEmpty()) r.error(path + ".prefix", "prefix match must not be empty");
            }
            default -> { }
        }
    }

    static void port(Report r, String path, Integer port) {
        if (port != null && (port < 1 || port > 65535)) r.error(path, "port number " + port + " must be in the range 1..65535");
    }

    static void destination(Report r, String path, Destination d) {
        if (d == null) {
            r.error(path, "destination is required");
            return;
        }
        if (d.host() == null || d.host().isEmpty()) {
            r.error(path + ".host", "destination.host is required");
        } else if (d.host().equals("*")) {
            r.error(path + ".host", "destination.host may not be \"*\"");
        } else {
            host(r, path + ".host", d.host());
        }
        if (d.subset() != null) dnsLabel(r, path + ".subset", d.subset());
        port(r, path + ".port.number", d.port());
    }

    static void host(Report r, String path, String host) {
        if (!HOST.matcher(host).matches() || host.length() > 255) r.error(path, "invalid host name \"" + host + "\"");
    }

    static void dnsLabel(Report r, String path, String name) {
        if (name.length() > 63 || !DNS1123_LABEL.matcher(name).matches()) {
            r.error(path, "\"" + name + "\" is not a valid DNS-1123 label (lower case alphanumerics and '-')");
        }
    }

    static void headerName(Report r, String path, String name) {
        if (name.startsWith(":")) {
            r.error(path, "header name \"" + name + "\" may not be a pseudo-header");
        } else if (!HEADER_NAME.matcher(name).matches()) {
            r.error(path, "invalid header name \"" + name + "\"");
        }
    }

    static void headerValue(Report r, String path, String value) {
        Matcher control = java.util.regex.Pattern.compile("[\\x00-\\x08\\x0a-\\x1f\\x7f]").matcher(value);
        if (control.find()) r.error(path, "header value contains a control character");
    }

    static void percentRange(Report r, String path, Number v, String what) {
        if (v != null && (v.doubleValue() < 0 || v.doubleValue() > 100)) {
            r.error(path, what + " must be in [0, 100], got " + v);
        }
    }
}
