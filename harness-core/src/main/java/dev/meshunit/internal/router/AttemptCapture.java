package dev.meshunit.internal.router;

import dev.meshunit.internal.http.HeaderMap;
import dev.meshunit.journal.RecordedBody;
import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What one attempt sent upstream (target and headers, snapshotted as encoded, since the next attempt changes
 * the same header map) and, when bodies are recorded, the first {@code limit} bytes of its request and answer.
 */
final class AttemptCapture {
    private final int limit;
    private String path = "";
    private Map<String, List<String>> headers = Map.of();
    private final Sample request; // both null when bodies are not recorded
    private final Sample response;

    AttemptCapture(int limit) {
        this.limit = limit;
        this.request = limit == 0 ? null : new Sample();
        this.response = limit == 0 ? null : new Sample();
    }

    void sent(String uri, HeaderMap upstreamHeaders) {
        path = uri;
        headers = upstreamHeaders.toMap();
    }

    /** Samples {@code data} and returns it, to be sent. */
    ByteBuf requestData(ByteBuf data) {
        if (request != null) request.add(data);
        return data;
    }

    /** Samples a piece of the answer; with the last piece, adds the body to the journalled attempt. */
    void responseData(ByteBuf data, List<dev.meshunit.journal.Attempt> journalledAtEnd) {
        if (response == null) return;
        response.add(data);
        if (journalledAtEnd != null) addResponseBody(journalledAtEnd);
    }

    dev.meshunit.journal.Attempt record(Attempt up, int status, String error, java.util.Set<dev.meshunit.journal.ResponseFlag> flags) {
        return new dev.meshunit.journal.Attempt(up.number(), up.endpoint().id(), status, error, flags,
                Math.round(up.elapsedMs() * 1000) / 1000.0, path, headers, request == null ? null : request.result(), null);
    }

    /** The answering attempt was journalled at its head: adds its body, before the exchange is journalled. */
    void addResponseBody(List<dev.meshunit.journal.Attempt> journalled) {
        if (response == null || journalled.isEmpty()) return;
        int last = journalled.size() - 1;
        dev.meshunit.journal.Attempt a = journalled.get(last);
        journalled.set(last, new dev.meshunit.journal.Attempt(a.number(), a.endpoint(), a.status(), a.error(), a.flags(),
                a.durationMs(), a.upstreamPath(), a.upstreamHeaders(), a.requestBody(), response.result()));
    }

    private final class Sample {
        private byte[] bytes = new byte[0];
        private int kept;
        private long total;

        void add(ByteBuf data) {
            int n = data.readableBytes();
            total += n;
            int take = Math.min(n, limit - kept);
            if (take <= 0) return;
            if (bytes.length < kept + take) bytes = Arrays.copyOf(bytes, Math.min(limit, Math.max(kept + take, bytes.length * 2)));
            data.getBytes(data.readerIndex(), bytes, kept, take);
            kept += take;
        }

        RecordedBody result() {
            return new RecordedBody(Arrays.copyOf(bytes, kept), total, total > kept);
        }
    }
}
