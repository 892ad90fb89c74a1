package dev.meshunit.internal.fault;

import dev.meshunit.fault.Fault;
import dev.meshunit.internal.http.FilterCallbacks;
import dev.meshunit.internal.http.HeaderMap;
import dev.meshunit.internal.http.ResponseHead;
import dev.meshunit.internal.http.StreamEncoder;
import dev.meshunit.internal.time.Scheduler;
import dev.meshunit.journal.ResponseFlag;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;

/**
 * The fault filter's HTTP-level faults: an answer the proxy breaks in place of the upstream's. The codec-level
 * part (a reset, a close, a line that is no status line) goes through {@link FilterCallbacks#breakDownstream};
 * a slow body is paced on the stream's timers, so virtual time drives it. Flag FI on all, LR on the resets
 * (Envoy's "local reset": the proxy itself cut the connection).
 */
final class BrokenAnswer {
    private final FilterCallbacks stream;
    private Scheduler.Timer pacing;
    private int left;

    BrokenAnswer(FilterCallbacks stream) {
        this.stream = stream;
    }

    void apply(Fault.Broken fault) {
        stream.info().flags().add(ResponseFlag.FI);
        if (fault instanceof Fault.ResetBeforeAnswer) {
            reset();
        } else if (fault instanceof Fault.ResetAfterHeaders r) {
            head(r.status(), 1024);
            stream.flushDownstream();
            reset();
        } else if (fault instanceof Fault.EmptyResponse) {
            stream.breakDownstream(StreamEncoder.Break.CLOSE);
        } else if (fault instanceof Fault.MalformedStatusLine) {
            stream.breakDownstream(StreamEncoder.Break.MALFORMED_STATUS_LINE);
        } else if (fault instanceof Fault.TruncatedBody t) {
            head(200, t.declaredLength());
            stream.encodeData(bytes(t.sentLength()), false, null);
            stream.breakDownstream(StreamEncoder.Break.CLOSE);
        } else if (fault instanceof Fault.SlowBody s) {
            head(200, s.length());
            stream.flushDownstream();
            left = s.length();
            pace(s);
        }
    }

    private void reset() {
        stream.info().flags().add(ResponseFlag.LR);
        stream.breakDownstream(StreamEncoder.Break.RESET);
    }

    private void head(int status, int contentLength) {
        HeaderMap h = stream.newHeaders();
        h.set("content-length", contentLength);
        h.set("content-type", "text/plain");
        h.set("server", "envoy");
        stream.encodeHeaders(new ResponseHead(status, h));
    }

    private void pace(Fault.SlowBody s) {
        pacing = stream.timers().schedule(() -> {
            pacing = null;
            if (stream.done()) return;
            int n = Math.min(left, s.bytesPerInterval());
            left -= n;
            stream.encodeData(bytes(n), left == 0, null);
            if (left > 0) {
                stream.flushDownstream();
                pace(s);
            }
        }, s.interval().toMillis());
    }

    private static ByteBuf bytes(int n) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) 'x');
        return Unpooled.wrappedBuffer(b);
    }

    void cancel() {
        if (pacing != null) pacing.cancel();
        pacing = null;
    }
}
