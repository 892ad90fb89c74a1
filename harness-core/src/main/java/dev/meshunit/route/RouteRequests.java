package dev.meshunit.route;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshunit.journal.Exchange;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Requests to route, read from a file: one request per line in the form {@link RouteRequest#parse} reads ({@code #}
 * starts a comment), or a journal exported as JSON ({@code GET /journal}, {@code JournalJson}) from an earlier run.
 */
public final class RouteRequests {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RouteRequests() {}

    /** @throws IllegalArgumentException naming the file and line of a request that cannot be read */
    public static List<RouteRequest> read(Path file) {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** A journal export when the text starts with {@code [}, else request lines; {@code name} is for messages. */
    public static List<RouteRequest> parse(String text, String name) {
        if (text.stripLeading().startsWith("[")) return fromJournalJson(text, name);
        List<RouteRequest> out = new ArrayList<>();
        String[] lines = text.split("\\R", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            try {
                out.add(RouteRequest.parse(line));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(name + ":" + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    /** The requests of recorded exchanges, as the client sent them (shadow copies are not exchanges). */
    public static List<RouteRequest> fromExchanges(Collection<Exchange> exchanges) {
        List<RouteRequest> out = new ArrayList<>();
        for (Exchange e : exchanges) out.add(of(e.method(), e.authority(), e.path(), e.requestHeaders()));
        return out;
    }

    private static List<RouteRequest> fromJournalJson(String text, String name) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(name + ":" + e.getLocation().getLineNr() + ": not a journal export: "
                    + e.getOriginalMessage(), e);
        }
        List<RouteRequest> out = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            JsonNode e = root.get(i);
            if (!e.hasNonNull("method") || !e.hasNonNull("authority") || !e.hasNonNull("path")) {
                throw new IllegalArgumentException(name + ": exchange [" + i + "]: needs method, authority and path");
            }
            Map<String, List<String>> headers = new java.util.LinkedHashMap<>();
            JsonNode h = e.path("requestHeaders");
            for (Iterator<Map.Entry<String, JsonNode>> it = h.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                List<String> values = new ArrayList<>();
                f.getValue().forEach(v -> values.add(v.asText()));
                headers.put(f.getKey(), values);
            }
            out.add(of(e.get("method").asText(), e.get("authority").asText(), e.get("path").asText(), headers));
        }
        return out;
    }

    private static RouteRequest of(String method, String authority, String pathAndQuery, Map<String, List<String>> headers) {
        Map<String, List<String>> rest = new java.util.LinkedHashMap<>(headers);
        // The authority is the request's own; framing headers say nothing about where a request goes.
        for (String h : List.of("host", "content-length", "transfer-encoding", "connection", "keep-alive")) rest.remove(h);
        int q = pathAndQuery.indexOf('?');
        String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        String query = q < 0 ? null : pathAndQuery.substring(q + 1);
        int colon = authority.lastIndexOf(':');
        boolean hasPort = colon > 0 && authority.indexOf(']') < colon;
        String host = hasPort ? authority.substring(0, colon) : authority;
        int port = hasPort ? Integer.parseInt(authority.substring(colon + 1)) : 80;
        return new RouteRequest(method, "http", host, port, path, query, rest);
    }
}
