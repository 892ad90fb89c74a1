package dev.meshunit.config.load.internal;

import dev.meshunit.config.OutlierDetection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Istio's rules for localityLbSetting and zoneAwareLbSetting (agent.ValidateLocalityLbSetting and
 * ValidateZoneAwareLbSetting), on the settings as written; MeshUnit does not act on localities.
 */
final class LocalityChecks {
    private static final Set<String> TOPOLOGY = Set.of("topology.kubernetes.io/region", "topology.kubernetes.io/zone",
            "topology.istio.io/subzone");

    private LocalityChecks() {}

    static void locality(Map<String, Object> lb, String path, OutlierDetection outlier, Report r) {
        if (lb.isEmpty()) return;
        List<?> distribute = list(lb.get("distribute"));
        List<?> failover = list(lb.get("failover"));
        List<?> priority = list(lb.get("failoverPriority"));
        if (!distribute.isEmpty() && !failover.isEmpty()) {
            r.error(path, "can not simultaneously specify 'distribute' and 'failover'");
            return;
        }
        if (!failover.isEmpty()) {
            for (Object label : priority) {
                if (TOPOLOGY.contains(String.valueOf(label))) {
                    r.error(path + ".failoverPriority", "can not simultaneously set 'failover' and topology label '" + label + "' in 'failover_priority'");
                    return;
                }
            }
        }
        List<String> sources = new java.util.ArrayList<>();
        for (int i = 0; i < distribute.size(); i++) {
            Object from = distribute.get(i) instanceof Map<?, ?> d ? d.get("from") : null;
            sources.add(from == null ? "" : String.valueOf(from));
            Object to = distribute.get(i) instanceof Map<?, ?> d ? d.get("to") : null;
            if (!(to instanceof Map<?, ?> weights)) continue;
            long total = 0;
            for (Object w : weights.values()) {
                long weight = parse(w);
                if (weight <= 0 || weight > 100) {
                    r.error(path + ".distribute[" + i + "].to", "locality weight must be in range [1, 100]");
                    return;
                }
                total += weight;
            }
            if (total != 100) {
                r.error(path + ".distribute[" + i + "].to", "total locality weight " + total + " != 100");
                return;
            }
            List<String> targets = new java.util.ArrayList<>();
            weights.keySet().forEach(k -> targets.add(String.valueOf(k)));
            localities(targets, path + ".distribute[" + i + "].to", r);
        }
        localities(sources, path + ".distribute", r);
        failover(failover, priority, path, outlier, r, "locality lb failover settings must specify different regions",
                "locality lb failover only specify region", "locality lb failover region should not contain '*' wildcard");
    }

    static void zoneAware(Map<String, Object> lb, String path, OutlierDetection outlier, Report r) {
        if (lb.isEmpty()) return;
        List<?> priority = list(lb.get("failoverPriority"));
        for (Object label : priority) {
            if (TOPOLOGY.contains(String.valueOf(label))) {
                r.error(path + ".failoverPriority", "'failover_priority' for zone aware lb must not use topology label '" + label
                        + "'; region- and zone-level routing are handled automatically");
            }
        }
        failover(list(lb.get("failover")), priority, path, outlier, r, "zone aware lb failover settings must specify different regions",
                "zone aware lb failover only specifies region; zone and subzone failover are handled automatically",
                "zone aware lb failover region should not contain '*' wildcard");
    }

    private static void failover(List<?> failover, List<?> priority, String path, OutlierDetection outlier, Report r,
            String same, String slash, String star) {
        if ((!failover.isEmpty() || !priority.isEmpty()) && outlier == null) {
            r.warning(path, "outlier detection policy must be provided for failover");
        }
        for (int i = 0; i < failover.size(); i++) {
            if (!(failover.get(i) instanceof Map<?, ?> f)) continue;
            String from = String.valueOf(f.get("from") == null ? "" : f.get("from"));
            String to = String.valueOf(f.get("to") == null ? "" : f.get("to"));
            String p = path + ".failover[" + i + "]";
            if (from.equals(to)) r.error(p, same);
            if (from.contains("/") || to.contains("/")) r.error(p, slash);
            if (from.contains("*") || to.contains("*")) r.error(p, star);
        }
    }

    /**
     * validateLocalities: region/zone/subzone, at most one trailing *, and no locality that another one
     * already covers.
     */
    private static void localities(List<String> localities, String path, Report r) {
        Map<String, Map<String, Set<String>>> seen = new java.util.HashMap<>();
        for (String locality : localities) {
            int stars = locality.length() - locality.replace("*", "").length();
            if (stars > 1 || stars == 1 && !locality.endsWith("*")) {
                r.error(path, "locality " + locality + " wildcard '*' number can not exceed 1 and must be in the end");
                return;
            }
            if (seen.containsKey("*")) {
                r.error(path, "locality " + locality + " overlap with previous specified ones");
                return;
            }
            String[] items = locality.split("/", 3);
            for (String item : items) {
                if (item.isEmpty()) {
                    r.error(path, "locality " + locality + " must not contain empty region/zone/subzone info");
                    return;
                }
            }
            if (!claim(seen, items)) {
                r.error(path, "locality " + locality + " overlap with previous specified ones");
                return;
            }
        }
    }

    /** Records a region, region/zone or region/zone/subzone; false when an earlier one overlaps it. */
    private static boolean claim(Map<String, Map<String, Set<String>>> seen, String[] items) {
        Map<String, Set<String>> zones = seen.get(items[0]);
        if (items.length == 1) {
            if (zones != null) return false;
            seen.put(items[0], new java.util.HashMap<>(Map.of("*", new java.util.HashSet<>(Set.of("*")))));
            return true;
        }
        if (zones == null) {
            zones = new java.util.HashMap<>();
            seen.put(items[0], zones);
        } else if (zones.containsKey("*")) {
            return false;
        }
        Set<String> subzones = zones.get(items[1]);
        if (items.length == 2) {
            if (subzones != null) return false;
            zones.put(items[1], new java.util.HashSet<>(Set.of("*")));
            return true;
        }
        if (subzones == null) {
            zones.put(items[1], new java.util.HashSet<>(Set.of(items[2])));
            return true;
        }
        return !subzones.contains("*") && subzones.add(items[2]);
    }

    private static List<?> list(Object o) {
        return o instanceof List<?> l ? l : List.of();
    }

    private static long parse(Object o) {
        try {
            return Long.parseLong(String.valueOf(o).trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
