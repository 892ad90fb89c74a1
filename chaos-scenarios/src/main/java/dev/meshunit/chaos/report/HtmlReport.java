package dev.meshunit.chaos.report;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * One self-contained HTML page (opens offline: uPlot, its CSS, the data and the drawing script are inlined), and
 * the same data as JSON beside it.
 */
public final class HtmlReport {
    private static final String UPLOT = "META-INF/resources/webjars/uplot/%s/dist/uPlot.%s";

    private HtmlReport() {}

    /** Writes {@code html} and {@code html} with {@code .json} for {@code .html}; returns the JSON's path. */
    public static Path write(ObjectNode data, Path html) {
        String name = html.getFileName().toString();
        Path json = html.resolveSibling((name.endsWith(".html") ? name.substring(0, name.length() - 5) : name) + ".json");
        try {
            if (html.getParent() != null) Files.createDirectories(html.getParent());
            Files.writeString(json, data.toPrettyString());
            Files.writeString(html, render(data));
            return json;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report " + html + ": " + e.getMessage(), e);
        }
    }

    public static String render(ObjectNode data) {
        String version = uplotVersion();
        String dataJson = data.toString().replace("</", "<\\/");
        return resource("dev/meshunit/chaos/report/report.html")
                .replace("/*UPLOT_CSS*/", resource(UPLOT.formatted(version, "min.css")))
                .replace("/*REPORT_CSS*/", resource("dev/meshunit/chaos/report/report.css"))
                .replace("/*UPLOT_JS*/", resource(UPLOT.formatted(version, "iife.min.js")))
                .replace("/*REPORT_JS*/", resource("dev/meshunit/chaos/report/report.js"))
                .replace("/*DATA*/", dataJson)
                .replace("<!--TITLE-->", escape(data.path("title").asText("MeshUnit report")));
    }

    private static String uplotVersion() {
        Properties p = new Properties();
        try (InputStream in = HtmlReport.class.getClassLoader().getResourceAsStream("META-INF/maven/org.webjars.npm/uplot/pom.properties")) {
            if (in == null) throw new IllegalStateException("uPlot (org.webjars.npm:uplot) is not on the classpath");
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p.getProperty("version");
    }

    private static String resource(String name) {
        try (InputStream in = HtmlReport.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("missing resource " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
