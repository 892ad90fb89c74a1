package dev.meshunit.junit.internal;

import dev.meshunit.journal.Exchange;
import dev.meshunit.journal.JournalJson;
import dev.meshunit.journal.OutlierEvent;
import dev.meshunit.journal.ShadowExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The timeline page: one self-contained HTML file (inline CSS and script, no network) that draws the exchanges,
 * shadows and outlier events on a time axis. The data is the journal's own JSON, embedded in the page.
 */
public final class TimelineHtml {
    private static final String TEMPLATE = template();

    private TimelineHtml() {}

    public static String render(String title, long seed, List<Exchange> exchanges, List<ShadowExchange> shadows,
            List<OutlierEvent> events) {
        StringBuilder data = new StringBuilder("{\"seed\":").append(seed)
                .append(",\"exchanges\":").append(JournalJson.toJson(exchanges))
                .append(",\"shadows\":").append(JournalJson.shadowsToJson(shadows))
                .append(",\"events\":[");
        for (int i = 0; i < events.size(); i++) {
            if (i > 0) data.append(',');
            data.append(event(events.get(i)));
        }
        data.append("]}");
        // "</script>" inside a string must not end the data block; "<\/" is the same JSON string.
        String json = data.toString().replace("</", "<\\/");
        return TEMPLATE.replace("__TITLE__", escapeHtml(title)).replace("__DATA__", json);
    }

    private static String event(OutlierEvent e) {
        StringBuilder b = new StringBuilder("{\"type\":");
        if (e instanceof OutlierEvent.Ejected j) {
            b.append("\"ejected\",\"reason\":").append(quote(j.reason())).append(",\"until\":").append(quote(j.until().toString()))
                    .append(",\"ejections\":").append(j.ejections());
        } else {
            b.append("\"returned\"");
        }
        return b.append(",\"endpoint\":").append(quote(e.endpoint())).append(",\"cluster\":").append(quote(e.cluster()))
                .append(",\"at\":").append(quote(e.at().toString())).append('}').toString();
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        return b.append('"').toString();
    }

    public static String escapeHtml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String template() {
        try (InputStream in = TimelineHtml.class.getResourceAsStream("timeline.html")) {
            if (in == null) throw new IllegalStateException("timeline.html missing from meshunit-junit");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
