package dev.meshunit.journal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The journal as JSON, with the field names the admin API promises:
 * {@code id, method, authority, path, route, destination{host,subset,port},
 * attempts[{endpoint,status,flags,durationMs}], fault{delayMs,abortStatus}, status, flags, durationMs}.
 */
public final class JournalJson {
    private static final JsonFactory FACTORY = new JsonFactory();

    private JournalJson() {}

    public static String toJson(Collection<Exchange> exchanges) {
        StringWriter out = new StringWriter();
        write(exchanges, out);
        return out.toString();
    }

    public static void write(Collection<Exchange> exchanges, Writer out) {
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartArray();
            for (Exchange e : exchanges) {
                writeExchange(g, e);
            }
            g.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeExchange(JsonGenerator g, Exchange e) throws IOException {
        g.writeStartObject();
        g.writeNumberField("id", e.id());
        g.writeStringField("start", e.start().toString());
        g.writeStringField("source", e.source());
        g.writeStringField("method", e.method());
        g.writeStringField("authority", e.authority());
        g.writeStringField("path", e.path());
        if (e.route() == null) {
            g.writeNullField("route");
            g.writeNullField("virtualService");
        } else {
            g.writeStringField("route", e.route().name());
            g.writeStringField("virtualService", e.route().virtualService());
        }
        if (e.destination() == null) {
            g.writeNullField("destination");
        } else {
            g.writeObjectFieldStart("destination");
            g.writeStringField("host", e.destination().host());
            g.writeStringField("subset", e.destination().subset());
            g.writeNumberField("port", e.destination().port());
            g.writeEndObject();
        }
        g.writeArrayFieldStart("attempts");
        for (Attempt a : e.attempts()) {
            g.writeStartObject();
            g.writeStringField("endpoint", a.endpoint());
            g.writeNumberField("status", a.status());
            if (a.error() != null) g.writeStringField("error", a.error());
            writeFlags(g, a.flags());
            g.writeNumberField("durationMs", a.durationMs());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeObjectFieldStart("fault");
        g.writeNumberField("delayMs", e.fault().delayMs());
        g.writeNumberField("abortStatus", e.fault().abortStatus());
        g.writeEndObject();
        g.writeNumberField("status", e.status());
        writeFlags(g, e.flags());
        g.writeNumberField("durationMs", e.durationMs());
        g.writeObjectFieldStart("requestHeaders");
        for (Map.Entry<String, List<String>> h : e.requestHeaders().entrySet()) {
            g.writeArrayFieldStart(h.getKey());
            for (String v : h.getValue()) g.writeString(v);
            g.writeEndArray();
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void writeFlags(JsonGenerator g, Collection<ResponseFlag> flags) throws IOException {
        g.writeArrayFieldStart("flags");
        for (ResponseFlag f : ResponseFlag.values()) {
            if (flags.contains(f)) g.writeString(f.name());
        }
        g.writeEndArray();
    }
}
