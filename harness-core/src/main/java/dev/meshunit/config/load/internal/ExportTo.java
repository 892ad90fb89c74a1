package dev.meshunit.config.load.internal;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Istio's exportTo rules (validateExportTo). MeshUnit validates exportTo but does not act on it: a single
 * proxy has no namespaces to hide resources from.
 */
final class ExportTo {
    private ExportTo() {}

    /**
     * {@code serviceEntry}: only a ServiceEntry may be exported to no one (~); {@code drWithSelector}: a
     * DestinationRule with a workloadSelector may only export to its own namespace.
     */
    static void check(List<String> exportTo, String namespace, Report r, boolean serviceEntry, boolean drWithSelector) {
        if (exportTo.isEmpty()) return;
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < exportTo.size(); i++) {
            String e = exportTo.get(i);
            String key = e.equals(".") ? namespace : e;
            String p = "exportTo[" + i + "]";
            if (seen.contains(key)) {
                r.error(p, key.equals(e) ? "duplicate entries in exportTo for entry " + e
                        : "duplicate entries in exportTo: . and current namespace " + namespace);
            } else if (serviceEntry && e.equals("~")) {
                seen.add(key);
            } else if (e.equals("~")) {
                r.error(p, "exportTo ~ (none) is not allowed for Istio configuration objects");
            } else if (!key.equals("*") && !IstioNames.isDns1123Label(key)) {
                r.error(p, "only .,*, or a valid DNS 1123 label is allowed as exportTo entry");
            } else {
                seen.add(key);
            }
        }
        if (drWithSelector && !seen.isEmpty()) {
            if (!seen.contains(namespace)) {
                r.error("exportTo", "destination rule with workload selector cannot have exportTo beyond current namespace");
            } else if (seen.size() > 1) {
                r.error("exportTo", "destination rule with workload selector cannot have multiple entries in exportTo");
            }
        }
        if (seen.contains("*") && exportTo.size() > 1) {
            r.error("exportTo", "cannot have both public (*) and non-public exportTo values for a resource");
        }
        if (seen.contains("~") && exportTo.size() > 1) r.error("exportTo", "cannot export service entry to no one (~) and someone");
        r.notActedOn("exportTo", NotActedOn.EXPORT_TO);
    }
}
