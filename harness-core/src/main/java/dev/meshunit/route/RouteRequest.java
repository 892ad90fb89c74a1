package dev.meshunit.route;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A request to route without sending it: method, scheme, host and port as addressed, path, query and headers
 * (names lower-case, sorted). {@link #parse} reads the curl-like form
 * {@code GET http://reviews:9080/x -H end-user:jason}.
 */
public record RouteRequest(String method, String scheme, String host, int port, String path, String query,
        Map<String, List<String>> headers) {

    public RouteRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(host, "host");
        scheme = scheme == null ? "http" : scheme;
        path = path == null || path.isEmpty() ? "/" : path;
        // Sorted by name: a journal's header map has no order, and the printed form must not change between runs.
        Map<String, List<String>> lower = new java.util.TreeMap<>();
        headers.forEach((k, v) -> lower.computeIfAbsent(k.toLowerCase(Locale.ROOT), x -> new ArrayList<>()).addAll(v));
        lower.replaceAll((k, v) -> List.copyOf(v));
        headers = java.util.Collections.unmodifiableMap(lower);
    }

    /** {@code GET http://reviews:9080/reviews/1}, with headers. */
    public static RouteRequest get(String url, String... headerNameValuePairs) {
        StringBuilder line = new StringBuilder("GET ").append(url);
        for (int i = 0; i + 1 < headerNameValuePairs.length; i += 2) {
            line.append(" -H '").append(headerNameValuePairs[i]).append(": ").append(headerNameValuePairs[i + 1]).append('\'');
        }
        return parse(line.toString());
    }

    /**
     * Parses {@code [METHOD] URL [-H 'name: value']...}: the method defaults to GET, the URL needs a scheme and
     * host ({@code http://reviews:9080/path?q=1}), a header is {@code name:value} or {@code 'name: value'}.
     */
    public static RouteRequest parse(String line) {
        List<String> tokens = tokens(line);
        if (tokens.isEmpty()) throw new IllegalArgumentException("empty request: expected [METHOD] URL [-H name:value]...");
        int i = 0;
        String method = "GET";
        if (!tokens.get(0).contains("://")) method = tokens.get(i++).toUpperCase(Locale.ROOT);
        if (i >= tokens.size() || !tokens.get(i).contains("://")) {
            throw new IllegalArgumentException("request '" + line + "': expected a URL such as http://reviews:9080/path after the method");
        }
        URI uri;
        try {
            uri = new URI(tokens.get(i++));
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("request '" + line + "': bad URL: " + e.getMessage());
        }
        if (uri.getHost() == null) throw new IllegalArgumentException("request '" + line + "': the URL has no host");
        Map<String, List<String>> headers = new LinkedHashMap<>();
        while (i < tokens.size()) {
            String flag = tokens.get(i++);
            if (!flag.equals("-H") && !flag.equals("--header")) {
                throw new IllegalArgumentException("request '" + line + "': unexpected '" + flag + "' (only -H name:value may follow the URL)");
            }
            if (i >= tokens.size()) throw new IllegalArgumentException("request '" + line + "': -H needs name:value");
            String header = tokens.get(i++);
            int colon = header.indexOf(':');
            if (colon <= 0) throw new IllegalArgumentException("request '" + line + "': header '" + header + "' must look like name:value");
            headers.computeIfAbsent(header.substring(0, colon).strip(), k -> new ArrayList<>()).add(header.substring(colon + 1).strip());
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        return new RouteRequest(method, scheme, uri.getHost(), port, uri.getRawPath(), uri.getRawQuery(), headers);
    }

    /** Host and port as addressed, the form a Host header has. */
    public String authority() {
        return host + ":" + port;
    }

    public String header(String name) {
        List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    /** The curl-like form {@link #parse} reads. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(method).append(' ').append(scheme).append("://").append(authority()).append(path);
        if (query != null) b.append('?').append(query);
        headers.forEach((k, vs) -> vs.forEach(v -> b.append(" -H ").append(k).append(':').append(v.contains(" ") ? "'" + v + "'" : v)));
        return b.toString();
    }

    private static List<String> tokens(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = null;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) quote = 0;
                else cur.append(c);
            } else if (c == '\'' || c == '"') {
                quote = c;
                if (cur == null) cur = new StringBuilder();
            } else if (Character.isWhitespace(c)) {
                if (cur != null) out.add(cur.toString());
                cur = null;
            } else {
                if (cur == null) cur = new StringBuilder();
                cur.append(c);
            }
        }
        if (quote != 0) throw new IllegalArgumentException("request '" + line + "': unclosed quote");
        if (cur != null) out.add(cur.toString());
        return out;
    }
}
