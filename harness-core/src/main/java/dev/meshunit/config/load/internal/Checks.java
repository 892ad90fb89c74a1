package dev.meshunit.config.load.internal;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.meshunit.config.Destination;
import dev.meshunit.config.StringMatch;
import java.time.Duration;

/** Field-level rules of Istio's validation webhook that several kinds share. */
final class Checks {
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

    /** validateDestination: a missing destination is the caller's to report. */
    static void destination(Report r, String path, Destination d) {
        if (d == null) return;
        String host = d.host() == null ? "" : d.host();
        if (host.equals("*")) r.error(path + ".host", "invalid destination host *");
        else host(r, path + ".host", host);
        if (d.subset() != null && !d.subset().isEmpty() && !IstioNames.isDns1123Label(d.subset())) {
            r.error(path + ".subset", "subset name is invalid: " + d.subset());
        }
        if (d.port() != null) port(r, path + ".port.number", d.port());
    }

    /** ValidateWildcardDomain: a DNS name whose first label may be *, *-prefixed or *name. */
    static void host(Report r, String path, String host) {
        String problem = IstioNames.wildcardDomain(host);
        if (problem != null) r.error(path, problem);
    }



    static void percentRange(Report r, String path, Number v, String what) {
        if (v != null && (v.doubleValue() < 0 || v.doubleValue() > 100)) {
            r.error(path, what + " must be in [0, 100], got " + v);
        }
    }
}
