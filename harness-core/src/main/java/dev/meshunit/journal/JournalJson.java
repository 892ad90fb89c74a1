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
 * attempts[{endpoint,status,flags,durationMs,upstreamPath,upstreamHeaders,requestBody,responseBody}],
 * fault{delayMs,abortStatus,http?}, status, flags, durationMs, protocol, streamId (HTTP/2), grpcStatus, grpcMessage
 * (gRPC), nearestRoute?, requestHeaders, responseTrailers?},
 * with {@code truncated{headers, headerBytes, names}} when the journal's limits cut the stored headers; and the
 * mirrored copies ({@link #writeShadows}); the proxied TCP connections ({@link #writeConnections}).
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
        writeDestination(g, e.destination());
        g.writeArrayFieldStart("attempts");
        for (Attempt a : e.attempts()) {
            g.writeStartObject();
            g.writeStringField("endpoint", a.endpoint());
            g.writeNumberField("status", a.status());
            if (a.error() != null) g.writeStringField("error", a.error());
            writeFlags(g, a.flags());
            g.writeNumberField("durationMs", a.durationMs());
            writeSent(g, a);
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeObjectFieldStart("fault");
        g.writeNumberField("delayMs", e.fault().delayMs());
        g.writeNumberField("abortStatus", e.fault().abortStatus());
        if (e.fault().http() != null) g.writeStringField("http", e.fault().http());
        g.writeEndObject();
        g.writeNumberField("status", e.status());
        writeFlags(g, e.flags());
        g.writeNumberField("durationMs", e.durationMs());
        g.writeStringField("protocol", e.protocol());
        if (e.streamId() != 0) g.writeNumberField("streamId", e.streamId());
        if (e.grpcStatus() != null) g.writeStringField("grpcStatus", e.grpcStatus());
        if (e.grpcMessage() != null) g.writeStringField("grpcMessage", e.grpcMessage());
        if (e.nearestRoute() != null) g.writeStringField("nearestRoute", e.nearestRoute());
        writeHeaders(g, "requestHeaders", e.requestHeaders());
        if (!e.responseTrailers().isEmpty()) writeHeaders(g, "responseTrailers", e.responseTrailers());
        if (e.truncation().any()) {
            g.writeObjectFieldStart("truncated");
            g.writeNumberField("headers", e.truncation().headers());
            g.writeNumberField("headerBytes", e.truncation().headerBytes());
            g.writeArrayFieldStart("names");
            for (String n : e.truncation().names()) g.writeString(n);
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    /** What the attempt sent upstream, and the bodies when recorded; fields absent when not known. */
    private static void writeSent(JsonGenerator g, Attempt a) throws IOException {
        if (!a.upstreamPath().isEmpty()) g.writeStringField("upstreamPath", a.upstreamPath());
        if (!a.upstreamHeaders().isEmpty()) writeHeaders(g, "upstreamHeaders", new java.util.TreeMap<>(a.upstreamHeaders()));
        writeBody(g, "requestBody", a.requestBody());
        writeBody(g, "responseBody", a.responseBody());
    }

    private static void writeBody(JsonGenerator g, String field, RecordedBody b) throws IOException {
        if (b == null) return;
        g.writeObjectFieldStart(field);
        g.writeNumberField("bodyBytes", b.totalBytes());
        g.writeNumberField("recordedBytes", b.recordedBytes());
        g.writeBooleanField("truncated", b.truncated());
        g.writeStringField("text", b.text());
        g.writeEndObject();
    }

    public static String shadowsToJson(Collection<ShadowExchange> shadows) {
        StringWriter out = new StringWriter();
        writeShadows(shadows, out);
        return out.toString();
    }

    /**
     * Mirrored copies as a JSON array: {@code primaryId} (the {@code id} of the exchange copied), {@code start,
     * method, authority, path, destination{host,subset,port}, endpoint} (null when the copy was never sent),
     * {@code sent, status} (0 without an answer), {@code flags, durationMs, note}, and {@code response}: null, or
     * the answer's {@code {status, headers, bodyBytes, recordedBytes, truncated}} (bodies themselves are left out).
     */
    public static void writeShadows(Collection<ShadowExchange> shadows, Writer out) {
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartArray();
            for (ShadowExchange s : shadows) {
                writeShadow(g, s);
            }
            g.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeShadow(JsonGenerator g, ShadowExchange s) throws IOException {
        g.writeStartObject();
        g.writeNumberField("primaryId", s.primaryId());
        g.writeStringField("start", s.start().toString());
        g.writeStringField("method", s.method());
        g.writeStringField("authority", s.authority());
        g.writeStringField("path", s.path());
        writeDestination(g, s.destination());
        g.writeStringField("endpoint", s.endpoint());
        g.writeBooleanField("sent", s.sent());
        g.writeNumberField("status", s.status());
        writeFlags(g, s.flags());
        g.writeNumberField("durationMs", s.durationMs());
        g.writeStringField("note", s.note());
        RecordedResponse r = s.response();
        if (r == null) {
            g.writeNullField("response");
        } else {
            g.writeObjectFieldStart("response");
            g.writeNumberField("status", r.status());
            writeHeaders(g, "headers", new java.util.TreeMap<>(r.headers()));
            g.writeNumberField("bodyBytes", r.bodyBytes());
            g.writeNumberField("recordedBytes", r.body().length);
            g.writeBooleanField("truncated", r.truncated());
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    public static String connectionsToJson(Collection<Connection> connections) {
        StringWriter out = new StringWriter();
        writeConnections(connections, out);
        return out.toString();
    }

    /**
     * Proxied TCP connections as a JSON array: {@code id, start, source, listener, sni, route, virtualService,
     * destination{host,subset,port}, endpoint} (null when no upstream connection was made), {@code bytesFromClient,
     * bytesToClient, endReason} (CLIENT_CLOSE, UPSTREAM_CLOSE, CONNECT_FAILURE, ...), {@code flags, durationMs},
     * {@code exchangeId} (a WebSocket tunnel's upgrade exchange, else null).
     */
    public static void writeConnections(Collection<Connection> connections, Writer out) {
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartArray();
            for (Connection c : connections) {
                g.writeStartObject();
                g.writeNumberField("id", c.id());
                g.writeStringField("start", c.start().toString());
                g.writeStringField("source", c.source());
                g.writeStringField("listener", c.listener());
                g.writeStringField("sni", c.sni());
                g.writeStringField("route", c.route() == null ? null : c.route().name());
                g.writeStringField("virtualService", c.route() == null ? null : c.route().virtualService());
                writeDestination(g, c.destination());
                g.writeStringField("endpoint", c.endpoint());
                g.writeNumberField("bytesFromClient", c.bytesFromClient());
                g.writeNumberField("bytesToClient", c.bytesToClient());
                g.writeStringField("endReason", c.endReason().name());
                writeFlags(g, c.flags());
                g.writeNumberField("durationMs", c.durationMs());
                if (c.exchangeId() == null) {
                    g.writeNullField("exchangeId");
                } else {
                    g.writeNumberField("exchangeId", c.exchangeId());
                }
                g.writeEndObject();
            }
            g.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeDestination(JsonGenerator g, DestinationRef d) throws IOException {
        if (d == null) {
            g.writeNullField("destination");
            return;
        }
        g.writeObjectFieldStart("destination");
        g.writeStringField("host", d.host());
        g.writeStringField("subset", d.subset());
        g.writeNumberField("port", d.port());
        g.writeEndObject();
    }

    private static void writeHeaders(JsonGenerator g, String name, Map<String, List<String>> headers) throws IOException {
        g.writeObjectFieldStart(name);
        for (Map.Entry<String, List<String>> h : headers.entrySet()) {
            g.writeArrayFieldStart(h.getKey());
            for (String v : h.getValue()) g.writeString(v);
            g.writeEndArray();
        }
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
