package dev.meshunit.config.load.internal;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Istio's webhook rules for a Sidecar (ValidateSidecar), checked on the YAML as written: MeshUnit does not
 * apply Sidecars (the proxy is given its source identity instead), but validates them like kubectl would.
 */
final class SidecarChecks {
    private SidecarChecks() {}

    static void check(String namespace, RawView spec, Ctx ctx) {
        if (spec.has("workloadSelector")) {
            Map<String, String> labels = new HashMap<>();
            if (spec.child("workloadSelector").get("labels") instanceof Node.MapNode m) {
                m.entries().forEach(e -> labels.put(e.key(), e.value() instanceof Node.Scalar s ? s.text() : ""));
            }
            labels.forEach((k, v) -> {
                if (k.isEmpty()) ctx.error("workloadSelector.labels", spec.mark(), "empty key is not supported in selector: \"=" + v + "\"");
                if (k.contains("*") || v.contains("*")) {
                    ctx.error("workloadSelector.labels." + k, spec.mark(), "wildcard is not supported in selector: \"" + k + "=" + v + "\"");
                }
            });
            if (labels.isEmpty()) {
                ctx.warning("workloadSelector", spec.mark(), "sidecar: workload selector specified without labels, will be applied "
                        + "to all services in namespace", null);
            }
        }
        List<RawView> ingress = spec.items("ingress");
        List<RawView> egress = spec.items("egress");
        if (ingress.isEmpty() && egress.isEmpty() && !spec.has("outboundTrafficPolicy") && !spec.has("inboundConnectionPool")) {
            ctx.error("", spec.mark(), "sidecar: empty configuration provided");
            return;
        }
        Set<Long> ports = new HashSet<>();
        for (RawView in : ingress) SidecarListeners.ingress(in, ports, ctx);
        SidecarListeners.connectionPool(spec.child("inboundConnectionPool"), ctx);
        ports.clear();
        Set<String> sockets = new HashSet<>();
        boolean catchAll = false;
        for (int i = 0; i < egress.size(); i++) {
            RawView e = egress.get(i);
            if (!e.has("port")) {
                if (catchAll) {
                    ctx.error(e.path() + ".port", e.mark(), "sidecar: egress can have only one listener with empty port");
                    continue;
                }
                if (i == egress.size() - 1) catchAll = true;
                else ctx.error(e.path() + ".port", e.mark(), "sidecar: the egress listener with empty port should be the last listener in the list");
            } else {
                SidecarListeners.egressPort(e, ports, sockets, ctx);
            }
            egressHosts(e, namespace, ctx);
        }
        outboundTrafficPolicy(spec.child("outboundTrafficPolicy"), ctx);
    }

    private static void egressHosts(RawView e, String namespace, Ctx ctx) {
        List<String> hosts = e.strings("hosts");
        if (hosts.isEmpty()) {
            ctx.error(e.path() + ".hosts", e.mark(), "sidecar: egress listener must contain at least one host");
            return;
        }
        Map<String, Set<String>> byNamespace = new HashMap<>();
        for (int i = 0; i < hosts.size(); i++) {
            String h = hosts.get(i);
            String p = e.path() + ".hosts[" + i + "]";
            Node.Mark at = e.items("hosts").get(i).mark();
            int slash = h.indexOf('/');
            if (slash >= 0 && !h.startsWith("~")) {
                String ns = h.substring(0, slash).equals(".") ? namespace : h.substring(0, slash);
                String svc = h.substring(slash + 1);
                Set<String> seen = byNamespace.computeIfAbsent(ns, k -> new HashSet<>());
                if (svc.equals("*") ? !seen.isEmpty() : seen.contains(svc) || seen.contains("*")) {
                    ctx.warning(p, at, "duplicated egress host: " + h, null);
                }
                seen.add(svc);
            }
            String problem = hostProblem(h);
            if (problem != null) ctx.error(p, at, problem);
        }
        if (byNamespace.getOrDefault("*", Set.of()).contains("*") && byNamespace.size() != 1) {
            ctx.warning(e.path() + ".hosts", e.mark(), "`*/*` host select all resources, no other hosts can be added", null);
        }
    }

    /** ValidateNamespaceSlashWildcardHostname for sidecars: ns/dnsName with ns *, ., ~-prefixed or a DNS label. */
    private static String hostProblem(String host) {
        int slash = host.indexOf('/');
        if (slash < 0) return "host must be of form namespace/dnsName";
        String ns = host.substring(0, slash);
        String name = host.substring(slash + 1);
        if (ns.isEmpty() || name.isEmpty()) return "config namespace and dnsName in host entry cannot be empty";
        String bare = ns.startsWith("~") ? ns.substring(1) : ns;
        if (!bare.isEmpty() && !bare.equals("*") && !bare.equals(".") && !IstioNames.isDns1123Label(bare)) {
            return "invalid namespace value \"" + ns + "\" in sidecar";
        }
        if (!name.equals("*") && !name.contains(".")) return "short names (non FQDN) are not allowed";
        String problem = IstioNames.wildcardDomain(name);
        if (problem != null) return problem;
        if (name.contains("*") && name.length() != 1 && !name.startsWith("*.")) return "partial wildcard \"" + name + "\" not allowed";
        return null;
    }

    private static void outboundTrafficPolicy(RawView tp, Ctx ctx) {
        if (tp.node() == null) return;
        String mode = tp.string("mode");
        if (mode.equals("ALLOW_ANY_DYNAMIC_DNS")) {
            ctx.error(tp.path() + ".mode", tp.mark(), "sidecar: ALLOW_ANY_DYNAMIC_DNS mode is only supported in MeshConfig, not in Sidecar resource");
            return;
        }
        if (!tp.has("egressProxy")) return;
        RawView proxy = tp.child("egressProxy");
        if (!mode.equals("ALLOW_ANY")) {
            ctx.error(proxy.path(), proxy.mark(), "sidecar: egress_proxy must be set only with ALLOW_ANY outbound_traffic_policy mode");
            return;
        }
        String fqdn = IstioNames.fqdn(proxy.string("host"));
        if (fqdn != null) ctx.error(proxy.path() + ".host", proxy.mark(), fqdn);
        if (!proxy.has("port")) {
            ctx.error(proxy.path() + ".port", proxy.mark(), "sidecar: egress_proxy port must be non-nil");
            return;
        }
        long port = proxy.child("port").number("number");
        if (port < 1 || port > 65535) ctx.error(proxy.path() + ".port.number", proxy.mark(), "port number " + port + " must be in the range 1..65535");
        String subset = proxy.string("subset");
        if (!subset.isEmpty() && !IstioNames.isDns1123Label(subset)) ctx.error(proxy.path() + ".subset", proxy.mark(), "subset name is invalid: " + subset);
    }
}
