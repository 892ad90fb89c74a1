package dev.meshunit.mirror;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A comparison run as a file: JSON (stable field names: {@code summary, routes, noise, ignoring, skipped,
 * exchanges[{primaryId, route, method, path, primaryStatus, candidateStatus, differences, noise}]}) or one
 * self-contained HTML page (no scripts, no external resources).
 */
public final class ComparisonReport {
    private static final JsonFactory FACTORY = new JsonFactory();
    private final ComparisonResult result;

    private ComparisonReport(ComparisonResult result) {
        this.result = result;
    }

    public static ComparisonReport of(ComparisonResult result) {
        return new ComparisonReport(result);
    }

    public ComparisonReport writeJson(Path file) {
        return write(file, toJson());
    }

    public ComparisonReport writeHtml(Path file) {
        return write(file, toHtml());
    }

    private ComparisonReport write(Path file, String text) {
        try {
            if (file.getParent() != null) Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return this;
    }

    public String toJson() {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(out).useDefaultPrettyPrinter()) {
            g.writeStartObject();
            g.writeObjectFieldStart("summary");
            g.writeNumberField("compared", result.compared());
            g.writeNumberField("equal", result.equal());
            g.writeNumberField("different", result.different());
            g.writeNumberField("skipped", result.skipped().size());
            g.writeEndObject();
            g.writeArrayFieldStart("routes");
            for (RouteSummary r : result.routes().values()) {
                g.writeStartObject();
                g.writeStringField("route", r.route());
                g.writeNumberField("compared", r.compared());
                g.writeNumberField("equal", r.equal());
                g.writeNumberField("different", r.different());
                g.writeObjectFieldStart("byField");
                for (Map.Entry<String, Integer> f : r.byField().entrySet()) g.writeNumberField(f.getKey(), f.getValue());
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeObjectFieldStart("noise");
            for (Map.Entry<String, Set<String>> n : result.noise().entrySet()) strings(g, n.getKey(), n.getValue());
            g.writeEndObject();
            strings(g, "ignoring", result.ignoring());
            g.writeArrayFieldStart("skipped");
            for (Skipped s : result.skipped()) {
                g.writeStartObject();
                g.writeNumberField("primaryId", s.primaryId());
                g.writeStringField("reason", s.reason());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("exchanges");
            for (ComparedExchange e : result.exchanges()) exchange(g, e);
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void exchange(JsonGenerator g, ComparedExchange e) throws IOException {
        g.writeStartObject();
        g.writeNumberField("primaryId", e.primaryId());
        g.writeStringField("route", e.route());
        g.writeStringField("method", e.method());
        g.writeStringField("path", e.path());
        g.writeNumberField("primaryStatus", e.primary().status());
        g.writeNumberField("candidateStatus", e.candidateStatus());
        differences(g, "differences", e.differences());
        differences(g, "noise", e.noise());
        g.writeEndObject();
    }

    private static void differences(JsonGenerator g, String name, List<Difference> list) throws IOException {
        g.writeArrayFieldStart(name);
        for (Difference d : list) {
            g.writeStartObject();
            g.writeStringField("kind", d.kind().name());
            g.writeStringField("where", d.where());
            g.writeStringField("primary", d.primary());
            g.writeStringField("candidate", d.candidate());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void strings(JsonGenerator g, String name, java.util.Collection<String> values) throws IOException {
        g.writeArrayFieldStart(name);
        for (String v : values) g.writeString(v);
        g.writeEndArray();
    }

    public String toHtml() {
        StringBuilder b = new StringBuilder();
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>MeshUnit shadow comparison</title>\n")
                .append("<style>body{font:14px system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;")
                .append("margin:.5em 0 1.5em}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left;vertical-align:top}")
                .append("th{background:#f3f3f3}code{font:13px ui-monospace,monospace}.diff{color:#a00}.same{color:#070}")
                .append("del{background:#fdd;text-decoration:none}ins{background:#dfd;text-decoration:none}</style></head><body>\n")
                .append("<h1>Shadow comparison</h1>\n<p class=\"").append(result.hasDifferences() ? "diff" : "same").append("\">")
                .append(result.different()).append(" of ").append(result.compared()).append(" compared exchanges differ; ")
                .append(result.skipped().size()).append(" not compared.</p>\n");
        b.append("<h2>Routes</h2>\n<table><tr><th>route</th><th>compared</th><th>equal</th><th>different</th><th>by field</th></tr>\n");
        for (RouteSummary r : result.routes().values()) {
            b.append("<tr><td><code>").append(esc(r.route())).append("</code></td><td>").append(r.compared())
                    .append("</td><td>").append(r.equal()).append("</td><td>").append(r.different()).append("</td><td>");
            r.byField().forEach((f, n) -> b.append("<code>").append(esc(f)).append("</code>: ").append(n).append("<br>"));
            b.append("</td></tr>\n");
        }
        b.append("</table>\n<h2>Left out</h2>\n<p>Ignored: ").append(codes(result.ignoring())).append("</p>\n");
        result.noise().forEach((route, fields) -> b.append("<p>Noise on <code>").append(esc(route))
                .append("</code> (differs between two primaries): ").append(codes(fields)).append("</p>\n"));
        b.append("<h2>Differing exchanges</h2>\n");
        for (ComparedExchange e : result.differing()) {
            b.append("<h3>#").append(e.primaryId()).append(' ').append(esc(e.method())).append(" <code>")
                    .append(esc(e.path())).append("</code> <small>").append(esc(e.route())).append("</small></h3>\n")
                    .append("<table><tr><th>where</th><th>primary</th><th>candidate</th></tr>\n");
            for (Difference d : e.differences()) {
                b.append("<tr><td><code>").append(esc(d.where())).append("</code></td><td><del>").append(esc(d.primary()))
                        .append("</del></td><td><ins>").append(esc(d.candidate())).append("</ins></td></tr>\n");
            }
            b.append("</table>\n");
        }
        if (!result.skipped().isEmpty()) {
            b.append("<h2>Not compared</h2>\n<ul>\n");
            for (Skipped s : result.skipped()) {
                b.append("<li>#").append(s.primaryId()).append(": ").append(esc(s.reason())).append("</li>\n");
            }
            b.append("</ul>\n");
        }
        return b.append("</body></html>\n").toString();
    }

    private static String codes(java.util.Collection<String> values) {
        if (values.isEmpty()) return "nothing";
        StringBuilder b = new StringBuilder();
        for (String v : values) b.append(b.length() == 0 ? "" : ", ").append("<code>").append(esc(v)).append("</code>");
        return b.toString();
    }

    private static String esc(String s) {
        if (s == null) return "";
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
