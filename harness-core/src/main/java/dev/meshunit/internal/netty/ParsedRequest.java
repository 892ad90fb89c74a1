package dev.meshunit.internal.netty;

import dev.meshunit.routing.RequestView;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A request head as routing sees it: origin-form ({@code GET /path} with a Host header) or absolute-form
 * ({@code GET http://reviews:9080/path}, as a forward proxy receives it). Host, port and path are split
 * once here.
 */
final class ParsedRequest implements RequestView {
    private final HttpRequest head;
    private final String source;
    private final String scheme;
    private final String authority;
    private final String host;
    private final int port;
    private final String path;
    private final String query;
    private final boolean keepAlive;
    private Map<String, List<String>> params;
    private String bodyDigest;

    private ParsedRequest(HttpRequest head, String source, String scheme, String authority, String path, String query) {
        this.head = head;
        this.source = source;
        this.scheme = scheme;
        this.authority = authority;
        int colon = authority.lastIndexOf(':');
        boolean hasPort = colon > 0 && authority.indexOf(']') < colon;
        this.host = hasPort ? authority.substring(0, colon) : authority;
        int p = scheme.equals("https") ? 443 : 80;
        if (hasPort) {
            try {
                p = Integer.parseInt(authority.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad port in authority " + authority);
            }
        }
        this.port = p;
        this.path = path;
        this.query = query;
        this.keepAlive = HttpUtil.isKeepAlive(head);
    }

    /**
     * @param fixedAuthority the authority of the service a per-service listener stands for, or null
     * @throws IllegalArgumentException when the request names no host, as HTTP/1.1 requires
     */
    static ParsedRequest parse(HttpRequest head, String source, String fixedAuthority) {
        String uri = head.uri();
        String scheme = "http";
        String authority;
        String pathAndQuery;
        int schemeEnd = uri.indexOf("://");
        if (schemeEnd > 0 && !uri.startsWith("/")) {
            scheme = uri.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
            int pathStart = uri.indexOf('/', schemeEnd + 3);
            authority = pathStart < 0 ? uri.substring(schemeEnd + 3) : uri.substring(schemeEnd + 3, pathStart);
            pathAndQuery = pathStart < 0 ? "/" : uri.substring(pathStart);
            int at = authority.lastIndexOf('@');
            if (at >= 0) authority = authority.substring(at + 1);
        } else {
            authority = head.headers().get(HttpHeaderNames.HOST);
            pathAndQuery = uri;
        }
        if (fixedAuthority != null) authority = fixedAuthority;
        if (authority == null || authority.isBlank()) throw new IllegalArgumentException("missing Host header");
        int q = pathAndQuery.indexOf('?');
        String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        String query = q < 0 ? null : pathAndQuery.substring(q + 1);
        int hash = path.indexOf('#');
        if (hash >= 0) path = path.substring(0, hash);
        return new ParsedRequest(head, source, scheme, authority.trim(), path, query);
    }

    HttpRequest head() {
        return head;
    }

    String source() {
        return source;
    }

    String host() {
        return host;
    }

    String query() {
        return query;
    }

    String pathAndQuery() {
        return query == null ? path : path + "?" + query;
    }

    boolean keepAlive() {
        return keepAlive;
    }

    /** The headers as the journal keeps them: lower-case names, immutable, one small list per name. */
    Map<String, List<String>> headerMap() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : head.headers()) {
            out.merge(e.getKey().toLowerCase(Locale.ROOT), List.of(e.getValue()), ParsedRequest::append);
        }
        return Map.copyOf(out);
    }

    private static List<String> append(List<String> values, List<String> more) {
        List<String> all = new ArrayList<>(values);
        all.addAll(more);
        return List.copyOf(all);
    }

    @Override
    public String method() {
        return head.method().name();
    }

    @Override
    public String scheme() {
        return scheme;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public List<String> queryParam(String name) {
        if (query == null) return List.of();
        if (params == null) params = new QueryStringDecoder(query, false).parameters();
        List<String> values = params.get(name);
        return values == null ? List.of() : values;
    }

    @Override
    public String header(String name) {
        return head.headers().get(name);
    }

    @Override
    public String authority() {
        return authority;
    }

    @Override
    public int port() {
        return port;
    }

    /** Set once the whole body is in, for faults that key a call on it. */
    void bodyDigest(String digest) {
        this.bodyDigest = digest;
    }

    @Override
    public String bodyDigest() {
        return bodyDigest;
    }
}
