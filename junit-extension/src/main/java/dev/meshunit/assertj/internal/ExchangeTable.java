package dev.meshunit.assertj.internal;

import dev.meshunit.journal.Exchange;
import dev.meshunit.journal.ResponseFlag;
import dev.meshunit.journal.RouteRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Exchanges as a compact, aligned text table: what a failing assertion shows instead of a toString dump. */
public final class ExchangeTable {
    /** More rows than this and the table shows the first and last ones, and how many it left out. */
    public static final int MAX_ROWS = 30;
    private static final String[] HEADER = {"id", "method", "authority+path", "route", "subset", "status", "flags", "attempts", "ms"};

    private ExchangeTable() {}

    public static String render(List<Exchange> exchanges) {
        if (exchanges.isEmpty()) return "  (no exchanges)";
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        int omitted = 0;
        for (int i = 0; i < exchanges.size(); i++) {
            if (exchanges.size() > MAX_ROWS && i >= MAX_ROWS / 2 && i < exchanges.size() - MAX_ROWS / 2) {
                omitted++;
                continue;
            }
            rows.add(row(exchanges.get(i)));
        }
        int[] widths = new int[HEADER.length];
        for (String[] r : rows) {
            for (int c = 0; c < r.length; c++) widths[c] = Math.max(widths[c], r[c].length());
        }
        StringBuilder out = new StringBuilder();
        for (int r = 0; r < rows.size(); r++) {
            if (r == MAX_ROWS / 2 + 1 && omitted > 0) out.append("  ... ").append(omitted).append(" more ...\n");
            out.append(' ');
            for (int c = 0; c < HEADER.length; c++) {
                out.append(c == 0 ? " " : "  ").append(pad(rows.get(r)[c], widths[c]));
            }
            out.setLength(out.toString().stripTrailing().length());
            out.append('\n');
        }
        return out.toString().stripTrailing();
    }

    private static String[] row(Exchange e) {
        return new String[] {
            Long.toString(e.id()),
            orDash(e.method()),
            orDash(e.authority()) + orDash(e.path()),
            route(e.route()),
            orDash(e.subset()),
            e.grpcStatus() == null ? Integer.toString(e.status()) : e.status() + " " + e.grpcStatusName(),
            ResponseFlag.render(e.flags()),
            Integer.toString(e.attempts().size()),
            String.format(Locale.ROOT, "%.1f", e.durationMs())
        };
    }

    private static String route(RouteRef route) {
        if (route == null) return "-";
        if (route.virtualService() == null) return route.name();
        return route.virtualService() + (route.index() >= 0 ? "/http[" + route.index() + "]" : "");
    }

    private static String orDash(String s) {
        return s == null || s.isEmpty() ? "-" : s;
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(width - s.length());
    }
}
