package dev.meshunit.config.load.internal;

import dev.meshunit.config.load.internal.Node.MapNode;

/**
 * Kinds MeshUnit does not apply but still checks when a file holds them, so that {@code meshunit validate}
 * reports what istioctl would: the Sidecar deprecation notice (IST0002).
 */
final class SkippedKinds {
    private SkippedKinds() {}

    static void check(String kind, MapNode resource, Ctx ctx) {
        if (kind.equals("Sidecar")) {
            Node egressProxy = at(resource, "spec", "outboundTrafficPolicy", "egressProxy");
            if (egressProxy != null) {
                ctx.warning("outboundTrafficPolicy.egressProxy", egressProxy.mark(),
                        "Deprecated: OutboundTrafficPolicy.EgressProxy ignored", "IST0002");
            }
        }
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
