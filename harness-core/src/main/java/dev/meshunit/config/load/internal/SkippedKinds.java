package dev.meshunit.config.load.internal;

import dev.meshunit.config.load.internal.Node.MapNode;

/**
 * Kinds MeshUnit does not apply but still checks when a file holds them, so that {@code meshunit validate}
 * reports what istioctl would: Istio's Gateway and Sidecar rules, and the Sidecar deprecation notice (IST0002).
 */
final class SkippedKinds {
    private SkippedKinds() {}

    /** Checks the resource; returns what the analyzers need of a Gateway, or null for other kinds. */
    static GatewayResource check(String kind, MapNode resource, Ctx ctx, dev.meshunit.config.Metadata metadata) {
        Node spec = at(resource, "spec");
        RawView view = new RawView(spec != null ? spec : new MapNode(java.util.List.of(), resource.mark()), "");
        Node api = at(resource, "apiVersion");
        boolean istio = api instanceof Node.Scalar a && a.text().startsWith("networking.istio.io/");
        if (!istio) return null;
        if (kind.equals("Gateway")) {
            GatewayChecks.check(metadata.name(), view, ctx);
            java.util.List<java.util.List<String>> hosts = new java.util.ArrayList<>();
            for (RawView server : view.items("servers")) hosts.add(server.strings("hosts"));
            return new GatewayResource(metadata, hosts);
        }
        if (kind.equals("Sidecar")) {
            Node ns = at(resource, "metadata", "namespace");
            SidecarChecks.check(ns instanceof Node.Scalar n ? n.text() : "default", view, ctx);
            Node egressProxy = at(resource, "spec", "outboundTrafficPolicy", "egressProxy");
            if (egressProxy != null) {
                ctx.warning("outboundTrafficPolicy.egressProxy", egressProxy.mark(),
                        "Deprecated: OutboundTrafficPolicy.EgressProxy ignored", "IST0002");
            }
        }
        return null;
    }

    /** The value at a path of keys, or null. */
    static Node at(Node n, String... keys) {
        for (String key : keys) {
            if (!(n instanceof MapNode m)) return null;
            n = m.entries().stream().filter(e -> e.key().equals(key)).map(Node.Entry::value).findFirst().orElse(null);
        }
        return n;
    }
}
