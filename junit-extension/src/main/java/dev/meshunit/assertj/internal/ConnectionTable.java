package dev.meshunit.assertj.internal;

import dev.meshunit.chaos.TcpConnectionRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** TCP connections as an aligned text table, for failure messages over the toxic proxies' journal. */
public final class ConnectionTable {
    private static final String[] HEADER = {"id", "proxy", "client", "upstream", "up", "down", "toxics", "end", "ms"};

    private ConnectionTable() {}

    public static String render(List<TcpConnectionRecord> connections) {
        if (connections.isEmpty()) return "  (no connections)";
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        for (TcpConnectionRecord c : connections) {
            rows.add(new String[] {Long.toString(c.id()), c.proxy(), c.client(), c.upstream(), Long.toString(c.bytesUp()),
                    Long.toString(c.bytesDown()), c.toxicsApplied().isEmpty() ? "-" : String.join(",", c.toxicsApplied()),
                    c.open() ? "open" : c.endReason().name(), c.open() ? "-" : Long.toString(Duration.between(c.start(), c.end()).toMillis())});
        }
        int[] widths = new int[HEADER.length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) widths[i] = Math.max(widths[i], r[i].length());
        }
        StringBuilder out = new StringBuilder();
        for (String[] r : rows) {
            out.append(' ');
            for (int i = 0; i < r.length; i++) out.append("  ").append(i == r.length - 1 ? r[i] : String.format("%-" + widths[i] + "s", r[i]));
            out.append('\n');
        }
        return out.toString();
    }
}
