package dev.meshunit.config.load.internal;

import java.net.InetAddress;
import java.util.regex.Pattern;

/**
 * Istio's name rules (pkg/config/labels, agent validation): DNS-1123 labels (upper case allowed, as in
 * Istio), wildcard domains, FQDNs, IP addresses and CIDRs, label keys and values. Each check returns the
 * problem, or null when the name is fine.
 */
final class IstioNames {
    private static final String LABEL = "[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?";
    private static final Pattern DNS1123_LABEL = Pattern.compile(LABEL);
    private static final Pattern WILDCARD_LABEL = Pattern.compile("\\*|(?:\\*|\\*-)?" + LABEL);
    private static final String QUALIFIED = "(?:[A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
    private static final Pattern LABEL_KEY = Pattern.compile("(" + LABEL + "(?:\\." + LABEL + ")*/)?(" + QUALIFIED + ")");
    private static final Pattern LABEL_VALUE = Pattern.compile("(" + QUALIFIED + ")?");
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*(%[\\w.]+)?");
    static final int MAX_LABEL = 63;

    private IstioNames() {}

    static boolean isDns1123Label(String s) {
        return s != null && s.length() <= MAX_LABEL && DNS1123_LABEL.matcher(s).matches();
    }

    static String wildcardDomain(String domain) {
        String pre = preconditions(domain);
        if (pre != null) return pre;
        int dot = domain.indexOf('.');
        String first = dot < 0 ? domain : domain.substring(0, dot);
        if (first.length() > MAX_LABEL || !WILDCARD_LABEL.matcher(first).matches()) {
            return "domain name \"" + domain + "\" invalid (label \"" + first + "\" invalid)";
        }
        return dot < 0 ? null : labels(domain, domain.substring(dot + 1));
    }

    static String fqdn(String name) {
        String pre = preconditions(name);
        return pre != null ? pre : labels(name, name);
    }

    private static String preconditions(String name) {
        if (name == null || name.isEmpty()) return "empty domain name not allowed";
        if (name.length() > 255) return "domain name \"" + name + "\" too long (max 255)";
        return null;
    }

    private static String labels(String domain, String rest) {
        String[] parts = rest.split("\\.", -1);
        String top = parts[parts.length - 1];
        if (top.matches("[-+]?\\d+")) {
            return "domain name \"" + domain + "\" invalid (top level domain \"" + top + "\" cannot be all-numeric)";
        }
        for (int i = 0; i < parts.length; i++) {
            if (i == parts.length - 1 && parts[i].isEmpty()) return null;
            if (!isDns1123Label(parts[i])) return "domain name \"" + domain + "\" invalid (label \"" + parts[i] + "\" invalid)";
        }
        return null;
    }

    /** Go's {@code netip.ParseAddr}: dotted IPv4 without leading zeros, or IPv6. */
    static boolean isIp(String s) {
        if (s == null || s.isEmpty()) return false;
        if (IPV4.matcher(s).matches()) return !s.matches(".*(^|\\.)0\\d.*");
        if (!IPV6.matcher(s).matches()) return false;
        try {
            InetAddress.getByName(s.contains("%") ? s.substring(0, s.indexOf('%')) : s);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /** An address or a CIDR block ({@code a.b.c.d/nn}, {@code 2001:1::1/64}); null when valid. */
    static String ipSubnet(String s) {
        int slash = s.indexOf('/');
        if (slash >= 0 && s.indexOf('/', slash + 1) < 0) {
            String ip = s.substring(0, slash);
            String bits = s.substring(slash + 1);
            int max = ip.contains(":") ? 128 : 32;
            boolean ok = isIp(ip) && !ip.contains("%") && bits.matches("\\d{1,3}") && Integer.parseInt(bits) <= max
                    && !(bits.length() > 1 && bits.startsWith("0"));
            return ok ? null : s + " is not a valid CIDR block";
        }
        return isIp(s) ? null : s + " is not a valid IP";
    }

    /** Kubernetes label key and value rules, as Istio's {@code labels.Instance.Validate}. */
    static String label(String key, String value) {
        var m = LABEL_KEY.matcher(key);
        if (!m.matches()) return "invalid tag key: \"" + key + "\"";
        if (m.group(1) != null && m.group(1).length() - 1 > 253) return "invalid tag key: \"" + key + "\" (DNS prefix is too long)";
        if (m.group(2).length() > MAX_LABEL) return "invalid tag key: \"" + key + "\" (name is too long)";
        if (!LABEL_VALUE.matcher(value).matches()) return "invalid tag value: \"" + value + "\"";
        return null;
    }
}
