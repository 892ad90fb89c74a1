package dev.meshunit.internal.netty;

import dev.meshunit.downstream.DownstreamLimits;
import dev.meshunit.journal.ResponseFlag;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * What Envoy's HTTP/1.1 codec refuses in a complete request head, with its answer: more than
 * {@code max_headers_count} headers or more than {@code max_request_headers_kb} of URI, names and values (431), a
 * transfer coding other than chunked (501), more than one Host header or a request target that is neither
 * origin-form, absolute-form nor {@code *} for OPTIONS (400, RFC 9112 section 3.2); and CONNECT, which Istio's
 * sidecar does not tunnel (404 NR). All but the last are protocol errors (DPE), after which the connection closes.
 */
final class Http1RequestChecks {
    /** A refused head: the status, the body and the flag to answer and journal it with. */
    record Refusal(int status, String body, ResponseFlag flag) {
        boolean tooLarge() {
            return status == 431;
        }
    }

    static final Refusal TOO_MANY_HEADERS = new Refusal(431, "request header too large", ResponseFlag.DPE);
    static final Refusal TOO_LARGE = TOO_MANY_HEADERS;
    static final Refusal BAD_TRANSFER_ENCODING = new Refusal(501, "unsupported transfer encoding", ResponseFlag.DPE);
    static final Refusal TWO_HOSTS = new Refusal(400, "bad request", ResponseFlag.DPE);
    static final Refusal BAD_TARGET = new Refusal(400, "bad request", ResponseFlag.DPE);
    static final Refusal CONNECT = new Refusal(404, "", ResponseFlag.NR);

    private Http1RequestChecks() {}

    /** The refusal of {@code head}, or null when it may go on. */
    static Refusal check(HttpRequest head, DownstreamLimits limits) {
        HttpHeaders headers = head.headers();
        if (headers.size() > limits.maxHeadersCount()) return TOO_MANY_HEADERS;
        String uri = head.uri();
        long bytes = uri.length() + head.method().name().length();
        int hosts = 0;
        boolean transferEncoding = false;
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence(); it.hasNext(); ) {
            Map.Entry<CharSequence, CharSequence> h = it.next();
            CharSequence name = h.getKey();
            bytes += name.length() + h.getValue().length();
            if (HttpHeaderNames.HOST.contentEqualsIgnoreCase(name)) hosts++;
            if (HttpHeaderNames.TRANSFER_ENCODING.contentEqualsIgnoreCase(name)) transferEncoding = true;
        }
        if (bytes > limits.maxRequestHeadersBytes()) return TOO_LARGE;
        // Looked at in the same pass: most requests have none, and getAll would make a list for each.
        if (transferEncoding && unsupportedTransferEncoding(head)) return BAD_TRANSFER_ENCODING;
        if (hosts > 1) return TWO_HOSTS;
        if (head.method().equals(HttpMethod.CONNECT)) return CONNECT;
        if (!uri.startsWith("/") && !(uri.equals("*") && head.method().equals(HttpMethod.OPTIONS)) && !absoluteForm(uri)) {
            return BAD_TARGET;
        }
        return null;
    }

    /** A Transfer-Encoding other than exactly {@code chunked}: Envoy's codec answers 501. */
    static boolean unsupportedTransferEncoding(HttpRequest head) {
        List<String> te = head.headers().getAll(HttpHeaderNames.TRANSFER_ENCODING);
        return !te.isEmpty() && !String.join(",", te).trim().equalsIgnoreCase("chunked");
    }

    /** {@code scheme "://" ...}, as RFC 3986 spells a scheme. */
    private static boolean absoluteForm(String uri) {
        int end = uri.indexOf("://");
        if (end < 1) return false;
        if (!Character.isLetter(uri.charAt(0))) return false;
        for (int i = 1; i < end; i++) {
            char c = uri.charAt(i);
            if (!Character.isLetterOrDigit(c) && c != '+' && c != '-' && c != '.') return false;
        }
        return true;
    }
}
