package dev.meshunit.journal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Cuts an exchange's stored request headers to {@link JournalLimits#maxHeaders()} values and
 * {@link JournalLimits#maxHeaderBytes()} (names plus values). Names are taken smallest first (then by name), so
 * the result does not depend on map order and one huge header cannot push out all the small ones.
 */
final class HeaderCap {
    private HeaderCap() {}

    static Exchange apply(Exchange e, JournalLimits limits) {
        Map<String, List<String>> headers = e.requestHeaders();
        int count = 0;
        long bytes = 0;
        for (Map.Entry<String, List<String>> h : headers.entrySet()) {
            count += h.getValue().size();
            bytes += size(h);
        }
        if (count <= limits.maxHeaders() && bytes <= limits.maxHeaderBytes()) return e;
        List<Map.Entry<String, List<String>>> order = new ArrayList<>(headers.entrySet());
        order.sort(Comparator.<Map.Entry<String, List<String>>>comparingLong(HeaderCap::size).thenComparing(Map.Entry::getKey));
        Map<String, List<String>> kept = new HashMap<>();
        Set<String> cutNames = new LinkedHashSet<>();
        int keptCount = 0;
        long keptBytes = 0;
        int cutCount = 0;
        long cutBytes = 0;
        for (Map.Entry<String, List<String>> h : order) {
            String name = h.getKey();
            List<String> keep = new ArrayList<>();
            for (String v : h.getValue()) {
                long b = (long) name.length() + v.length();
                if (keptCount < limits.maxHeaders() && keptBytes + b <= limits.maxHeaderBytes()) {
                    keep.add(v);
                    keptCount++;
                    keptBytes += b;
                } else {
                    cutCount++;
                    cutBytes += b;
                    if (cutNames.size() < Truncation.MAX_NAMES) cutNames.add(name);
                }
            }
            if (!keep.isEmpty()) kept.put(name, List.copyOf(keep));
        }
        return e.withHeaders(kept, new Truncation(cutCount, cutBytes, List.copyOf(cutNames)));
    }

    private static long size(Map.Entry<String, List<String>> h) {
        long b = 0;
        for (String v : h.getValue()) b += (long) h.getKey().length() + v.length();
        return b;
    }
}
