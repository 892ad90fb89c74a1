package dev.meshunit.internal.http;

import dev.meshunit.routing.RequestView;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A request head as routing and the filters see it, whatever the codec: origin-form ({@code GET /path} with a
 * Host header) or absolute-form ({@code GET http://reviews:9080/path}, as a forward proxy receives it). Host,
 * port and path are split once here.
 */
public final class RequestHead implements RequestView {
    private final String method;
    private final HeaderMap headers;
    private final String source;
    private final String scheme;
    private final String authority;
    private final String host;
    private final int port;
    private final String path;
    private final String query;
    /** The protocols a downstream request arrives in, as the journal names them. */
    public static final String HTTP_1_1 = "HTTP/1.1";
    public static final String HTTP_2 = "HTTP/2";
    /** The one upgrade the proxy passes on, as Istio configures Envoy's {@code upgrade_configs}. */
    public static final String WEBSOCKET = "websocket";

    private Map<String, List<String>> params;
    private String bodyDigest;
    private String protocol = HTTP_1_1;
    private int streamId;
    private String upgrade;
    private String pathAndQuery;

    private RequestHead(String method, HeaderMap headers, String source, String scheme, String authority, String path,
                        String query) {
        this.method = method;
        this.headers = headers;
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
    }

    /**
     * @param target         the request target: origin-form or absolute-form
     * @param authority      the Host header (or HTTP/2's :authority), used for origin-form
     * @param fixedAuthority the authority of the service a per-service listener stands for, or null
     * @throws IllegalArgumentException when the request names no host, as HTTP/1.1 requires
     */
    public static RequestHead parse(String method, String target, String authority, HeaderMap headers, String source,
                                    String fixedAuthority) {
        String scheme = "http";
        String pathAndQuery = target;
        int schemeEnd = target.indexOf("://");
        if (schemeEnd > 0 && !target.startsWith("/")) {
            scheme = target.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
            int pathStart = target.indexOf('/', schemeEnd + 3);
            authority = pathStart < 0 ? target.substring(schemeEnd + 3) : target.substring(schemeEnd + 3, pathStart);
            pathAndQuery = pathStart < 0 ? "/" : target.substring(pathStart);
            int at = authority.lastIndexOf('@');
            if (at >= 0) authority = authority.substring(at + 1);
        }
        if (fixedAuthority != null) authority = fixedAuthority;
        if (authority == null || authority.isBlank()) throw new IllegalArgumentException("missing Host header");
        int q = pathAndQuery.indexOf('?');
        String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        String query = q < 0 ? null : pathAndQuery.substring(q + 1);
        int hash = path.indexOf('#');
        if (hash >= 0) path = path.substring(0, hash);
        return new RequestHead(method, headers, source, scheme, authority.trim(), path, query);
    }

    public HeaderMap headers() {
        return headers;
    }

    /** The client's address ({@code 127.0.0.1:54321}). */
    public String source() {
        return source;
    }

    public String host() {
        return host;
    }

    public String query() {
        return query;
    }

    /** Made once: the header filter (as the upstream's target) and the journal both ask for it. */
    public String pathAndQuery() {
        if (pathAndQuery == null) pathAndQuery = query == null ? path : path + "?" + query;
        return pathAndQuery;
    }

    @Override
    public String method() {
        return method;
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
        return headers.get(name);
    }

    @Override
    public String authority() {
        return authority;
    }

    @Override
    public int port() {
        return port;
    }

    /** Set by an HTTP/2 connection manager: the request came as stream {@code streamId} of an HTTP/2 connection. */
    public void protocol(String protocol, int streamId) {
        this.protocol = protocol;
        this.streamId = streamId;
    }

    public String protocol() {
        return protocol;
    }

    /**
     * Set by the HTTP/1 connection manager for a request that asks to upgrade ({@code Connection: upgrade}), in
     * lower case: {@link #WEBSOCKET} is passed on, any other type is refused with 403 as Envoy refuses upgrades it
     * has no {@code upgrade_configs} for (h2c is the codec's own, see the connection manager).
     */
    public void upgrade(String type) {
        this.upgrade = type;
    }

    /** The upgrade this request asks for, or null. */
    public String upgrade() {
        return upgrade;
    }

    /** The HTTP/2 stream id, 0 for HTTP/1. */
    public int streamId() {
        return streamId;
    }

    /** Set once the whole body is in, for faults that key a call on it. */
    public void bodyDigest(String digest) {
        this.bodyDigest = digest;
    }

    @Override
    public String bodyDigest() {
        return bodyDigest;
    }

    /** Whether the request cannot take effect twice, so that a stale pooled connection may be retried. */
    public boolean idempotent() {
        return idempotent(method);
    }

    public static boolean idempotent(String method) {
        return switch (method) {
            case "GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE" -> true;
            default -> false;
        };
    }
}
