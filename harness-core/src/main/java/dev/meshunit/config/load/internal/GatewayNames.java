package dev.meshunit.config.load.internal;

import java.util.List;

/** Istio's rules for gateway references ({@code namespace/name}, the legacy FQDN form, or {@code mesh}). */
final class GatewayNames {
    private GatewayNames() {}

    static void check(List<String> names, String path, Report r) {
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            String p = path + "[" + i + "]";
            int slash = name.indexOf('/');
            if (slash < 0) {
                if (name.contains(".")) {
                    String[] parts = name.split("\\.");
                    r.warning(p, "using legacy gatewayName format \"" + name + "\"; prefer the <namespace>/<name> format: \""
                            + parts[1] + "/" + parts[0] + "\"");
                }
                String problem = IstioNames.fqdn(name);
                if (problem != null) r.error(p, problem);
                return;
            }
            String ns = name.substring(0, slash);
            String gw = name.substring(slash + 1);
            if (ns.isEmpty() || gw.isEmpty()) r.error(p, "config namespace and gateway name cannot be empty");
            if (!IstioNames.isDns1123Label(ns)) r.error(p, "invalid value for namespace: \"" + ns + "\"");
            if (!IstioNames.isDns1123Label(gw)) r.error(p, "invalid value for gateway name: \"" + gw + "\"");
        }
    }
}
