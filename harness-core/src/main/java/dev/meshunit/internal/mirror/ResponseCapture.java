package dev.meshunit.internal.mirror;

import dev.meshunit.journal.RecordedResponse;
import io.netty.buffer.ByteBuf;
import dev.meshunit.internal.http.HeaderMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Keeps an answer's status, headers and the first {@code limit} bytes of its body, for comparison. */
final class ResponseCapture {
    private final int limit;
    private int status;
    private Map<String, List<String>> headers = Map.of();
    private byte[] body = new byte[0];
    private int kept;
    private long total;

    ResponseCapture(int limit) {
        this.limit = limit;
    }

    void head(int code, HeaderMap h) {
        status = code;
        headers = headerMap(h);
    }

    /** Trailers (a gRPC answer's grpc-status) are kept with the headers, as a comparison reads them. */
    void trailers(HeaderMap t) {
        if (t == null) return;
        Map<String, List<String>> merged = new TreeMap<>(headers);
        headerMap(t).forEach((k, v) -> merged.merge(k, v, (a, b) -> {
            List<String> both = new ArrayList<>(a);
            both.addAll(b);
            return List.copyOf(both);
        }));
        headers = merged;
    }

    boolean hasHead() {
        return status > 0;
    }

    int status() {
        return status;
    }

    void content(ByteBuf data) {
        int n = data.readableBytes();
        total += n;
        int take = Math.min(n, limit - kept);
        if (take <= 0) return;
        if (body.length < kept + take) body = Arrays.copyOf(body, Math.max(kept + take, Math.min(limit, body.length * 2)));
        data.getBytes(data.readerIndex(), body, kept, take);
        kept += take;
    }

    RecordedResponse result() {
        return new RecordedResponse(status, headers, Arrays.copyOf(body, kept), total, total > kept);
    }

    /** An answer the proxy made itself (a local reply): its status only. */
    static RecordedResponse statusOnly(int code) {
        return new RecordedResponse(code, Map.of(), new byte[0], 0, false);
    }

    static Map<String, List<String>> headerMap(HeaderMap h) {
        Map<String, List<String>> out = new TreeMap<>();
        for (Map.Entry<String, String> e : h) {
            out.computeIfAbsent(e.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(e.getValue());
        }
        out.replaceAll((k, v) -> List.copyOf(v));
        return out;
    }
}
