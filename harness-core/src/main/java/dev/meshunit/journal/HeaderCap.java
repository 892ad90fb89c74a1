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
        Cut request = cap(e.requestHeaders(), limits);
        if (request == null && allFit(e.attempts(), limits)) return e;
        List<Attempt> attempts = new ArrayList<>(e.attempts().size());
        boolean cutUpstream = false;
        for (Attempt a : e.attempts()) {
            // Headers as sent upstream are capped alike (mostly the client's, so they lose the same ones); the
            // truncation counts what the client's headers lost.
            Cut up = cap(a.upstreamHeaders(), limits);
            cutUpstream |= up != null;
            attempts.add(up == null ? a : new Attempt(a.number(), a.endpoint(), a.status(), a.error(), a.flags(),
                    a.durationMs(), a.upstreamPath(), up.kept(), a.requestBody(), a.responseBody()));
        }
        if (request == null && !cutUpstream) return e;
        return request == null ? e.withHeaders(e.requestHeaders(), attempts, e.truncation())
                : e.withHeaders(request.kept(), attempts, new Truncation(request.count(), request.bytes(), List.copyOf(request.names())));
    }

    /** Headers kept and what was cut. */
    private record Cut(Map<String, List<String>> kept, int count, long bytes, Set<String> names) {}

    private static boolean allFit(List<Attempt> attempts, JournalLimits limits) {
        for (Attempt a : attempts) {
            if (!fits(a.upstreamHeaders(), limits)) return false;
        }
        return true;
    }

    /** Whether the headers are within the limits; journal headers know their sizes, others are counted. */
    private static boolean fits(Map<String, List<String>> headers, JournalLimits limits) {
        int count = 0;
        long bytes = 0;
        if (headers instanceof JournalHeaders j) {
            count = j.valueCount();
            bytes = j.nameValueBytes();
        } else {
            for (Map.Entry<String, List<String>> h : headers.entrySet()) {
                count += h.getValue().size();
                bytes += size(h);
            }
        }
        return count <= limits.maxHeaders() && bytes <= limits.maxHeaderBytes();
    }

    /** The headers cut to the limits, or null when they fit. */
    private static Cut cap(Map<String, List<String>> headers, JournalLimits limits) {
        if (fits(headers, limits)) return null;
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
        return new Cut(kept, cutCount, cutBytes, cutNames);
    }

    private static long size(Map.Entry<String, List<String>> h) {
        long b = 0;
        for (String v : h.getValue()) b += (long) h.getKey().length() + v.length();
        return b;
    }
}
