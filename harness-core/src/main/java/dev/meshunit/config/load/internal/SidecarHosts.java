package dev.meshunit.config.load.internal;

/** Istio's ValidateNamespaceSlashWildcardHostname for Gateway server hosts ({@code [namespace/]dnsName}). */
final class SidecarHosts {
    private SidecarHosts() {}

    /** A Gateway host: {@code dnsName} (old style) or {@code ns/dnsName} with ns *, . or a DNS label; null when valid. */
    static String gatewayHost(String host) {
        int slash = host.indexOf('/');
        if (slash < 0) return hostnamePart(host);
        String ns = host.substring(0, slash);
        String name = host.substring(slash + 1);
        if (ns.isEmpty() || name.isEmpty()) return "config namespace and dnsName in host entry cannot be empty";
        if (!ns.equals("*") && !ns.equals(".") && !IstioNames.isDns1123Label(ns)) return "invalid namespace value \"" + ns + "\" in gateway";
        return hostnamePart(name);
    }

    /** Short names are not allowed; an IP is; partial wildcards are not. */
    private static String hostnamePart(String host) {
        if (!host.equals("*") && !host.contains(".")) return "short names (non FQDN) are not allowed";
        String problem = IstioNames.wildcardDomain(host);
        if (problem != null && !IstioNames.isIp(host)) return problem;
        if (host.contains("*") && host.length() != 1 && !host.startsWith("*.")) return "partial wildcard \"" + host + "\" not allowed";
        return null;
    }
}
