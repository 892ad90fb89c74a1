package dev.meshunit.junit.internal.explore;

import dev.meshunit.junit.ExploredFault;
import dev.meshunit.junit.internal.TimelineHtml;
import dev.meshunit.junit.internal.explore.Exploration.Outcome;
import dev.meshunit.junit.internal.explore.Exploration.Result;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The table "call × fault → passed / failed" that ends an exploration: as text for the report, and as HTML. */
public final class ExplorationSummary {
    private ExplorationSummary() {}

    public static String text(String test, Exploration x) {
        List<Result> results = x.results();
        StringBuilder b = new StringBuilder();
        b.append("Fault exploration of ").append(test).append(": ").append(results.size()).append(" runs (cap ")
                .append(x.maxInvocations()).append("), ").append(failures(results)).append(" failed\n");
        List<String> header = new ArrayList<>(List.of("call"));
        for (ExploredFault f : x.faults()) header.add(Combination.label(f, x.delay()));
        List<List<String>> rows = new ArrayList<>();
        rows.add(header);
        for (Map.Entry<ExploredCall, Map<ExploredFault, Result>> row : grid(results).entrySet()) {
            List<String> cells = new ArrayList<>(List.of(row.getKey().toString()));
            for (ExploredFault f : x.faults()) {
                Result r = row.getValue().get(f);
                cells.add(r == null ? "not run" : outcome(r.outcome()));
            }
            rows.add(cells);
        }
        table(b, rows);
        for (Result r : results) {
            if (r.combination().isBaseline()) {
                b.append("no faults: ").append(outcome(r.outcome()))
                        .append(x.baselineFailed() ? ": nothing explored, the test fails without faults" : "").append('\n');
            }
            if (r.combination().injections().size() > 1) {
                b.append(r.combination().describe(x.delay())).append(": ").append(outcome(r.outcome())).append('\n');
            }
        }
        if (!x.notRun().isEmpty()) b.append(x.notRun().size()).append(" combinations not run: the cap of ")
                .append(x.maxInvocations()).append(" runs was reached\n");
        if (!x.unexplored().isEmpty()) b.append("calls made only under faults, not explored (maxFaultsPerRun): ")
                .append(x.unexplored()).append('\n');
        return b.toString();
    }

    public static String html(String test, Exploration x) {
        StringBuilder b = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                .append(TimelineHtml.escapeHtml("MeshUnit fault exploration: " + test)).append("</title><style>")
                .append("body{font:13px system-ui,sans-serif;margin:16px}table{border-collapse:collapse}")
                .append("td,th{border:1px solid #ddd;padding:3px 8px}.FAILED{background:#f4cccc}.PASSED{background:#d9ead3}")
                .append(".FAILED_AS_EXPECTED{background:#fff2cc}</style></head><body><h1>")
                .append(TimelineHtml.escapeHtml(test)).append("</h1><pre>").append(TimelineHtml.escapeHtml(text(test, x)))
                .append("</pre><table><tr><th>run</th><th>faults</th><th>outcome</th><th>calls made</th><th>timeline</th></tr>");
        for (Result r : x.results()) {
            b.append("<tr class=\"").append(r.outcome()).append("\"><td>").append(r.number()).append("</td><td>")
                    .append(TimelineHtml.escapeHtml(r.combination().describe(x.delay()))).append("</td><td>")
                    .append(outcome(r.outcome())).append("</td><td>").append(TimelineHtml.escapeHtml(r.calls().toString()))
                    .append("</td><td>");
            if (r.timeline() != null) b.append("<a href=\"").append(r.timeline().toUri()).append("\">timeline</a>");
            b.append("</td></tr>");
        }
        return b.append("</table></body></html>\n").toString();
    }

    private static Map<ExploredCall, Map<ExploredFault, Result>> grid(List<Result> results) {
        Map<ExploredCall, Map<ExploredFault, Result>> grid = new LinkedHashMap<>();
        if (!results.isEmpty()) results.get(0).calls().forEach(c -> grid.put(c, new LinkedHashMap<>()));
        for (Result r : results) {
            if (r.combination().injections().size() != 1) continue;
            Combination.Injection i = r.combination().injections().get(0);
            grid.computeIfAbsent(i.call(), k -> new LinkedHashMap<>()).put(i.fault(), r);
        }
        return grid;
    }

    private static long failures(List<Result> results) {
        return results.stream().filter(r -> r.outcome() == Outcome.FAILED).count();
    }

    static String outcome(Outcome o) {
        return switch (o) {
            case PASSED -> "passed";
            case FAILED -> "FAILED";
            case FAILED_AS_EXPECTED -> "failed (expected)";
        };
    }

    private static void table(StringBuilder b, List<List<String>> rows) {
        int[] widths = new int[rows.get(0).size()];
        for (List<String> r : rows) {
            for (int i = 0; i < r.size(); i++) widths[i] = Math.max(widths[i], r.get(i).length());
        }
        for (List<String> r : rows) {
            StringBuilder line = new StringBuilder("  ");
            for (int i = 0; i < r.size(); i++) line.append(String.format(Locale.ROOT, "%-" + (widths[i] + 3) + "s", r.get(i)));
            b.append(line.toString().stripTrailing()).append('\n');
        }
    }
}
