package dev.meshunit.internal.mirror;

import dev.meshunit.internal.http.HeaderMap;
import dev.meshunit.internal.http.RequestHead;
import dev.meshunit.internal.http.ResponseHead;
import dev.meshunit.internal.router.Attempt;
import dev.meshunit.internal.router.AttemptCallbacks;
import dev.meshunit.internal.router.AttemptFactory;
import dev.meshunit.internal.time.Scheduler;
import dev.meshunit.journal.DestinationRef;
import dev.meshunit.journal.RecordedResponse;
import dev.meshunit.journal.ResponseFlag;
import dev.meshunit.journal.ShadowExchange;
import dev.meshunit.internal.router.UpstreamFailure;
import dev.meshunit.internal.upstream.Cluster;
import dev.meshunit.internal.upstream.Endpoint;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

/**
 * One shadow copy of a request (Envoy's shadow stream): an attempt through the target cluster like any other,
 * so it takes a pooled connection with the cluster's TLS origination, counts against its circuit breakers and
 * reports to its outlier detector. It reads the whole answer (keeping the start of the body when asked) and
 * journals itself; whatever happens to it, the primary is not told. Confined to its event loop.
 */
final class ShadowStream implements AttemptCallbacks {
    /** What to send: the request as the primary sent it, Host already suffixed. */
    record Copy(long primaryId, String method, String uri, HeaderMap headers, byte[] body, DestinationRef destination,
                Cluster cluster, Endpoint endpoint, long timeoutMs) {}

    private final ShadowSender sender;
    private final Copy copy;
    private final AttemptFactory attempts;
    private final Scheduler.Timers timers;
    private final Instant start;
    private final long startNanos;
    private final ResponseCapture capture;
    private Attempt attempt;
    private Scheduler.Timer timer;
    private boolean relaunched;
    private boolean done;

    ShadowStream(ShadowSender sender, Copy copy, AttemptFactory attempts, Scheduler.Timers timers) {
        this.sender = sender;
        this.copy = copy;
        this.attempts = attempts;
        this.timers = timers;
        this.start = sender.scheduler.clock().instant();
        this.startNanos = sender.scheduler.nanoTime();
        this.capture = new ResponseCapture(sender.options.recordBodyBytes());
    }

    /** Sends the copy; the caller holds one of the sender's slots, which {@link #end} gives back. */
    void start() {
        timer = timers.schedule(() -> {
            if (attempt != null) attempt.timedOut();
            end(0, EnumSet.of(ResponseFlag.UT), "shadow timeout");
        }, copy.timeoutMs());
        launch();
    }

    private void launch() {
        // The copy keeps no protocol; a gRPC call came over HTTP/2 (for useClientProtocol).
        String type = copy.headers().get("content-type");
        attempt = attempts.create(copy.cluster(), copy.endpoint(), 1, this, type != null && type.startsWith("application/grpc"));
        attempt.start();
    }

    @Override
    public void onUpstreamReady(Attempt a) {
        if (a != attempt || done) return;
        a.sendHeaders(copy.method(), copy.uri(), copy.headers());
        a.sendData(Unpooled.wrappedBuffer(copy.body()), true, null);
        a.flush();
    }

    @Override
    public void onUpstreamHeaders(Attempt a, ResponseHead head) {
        if (a == attempt && !done) capture.head(head.status(), head.headers());
    }

    @Override
    public void onUpstreamData(Attempt a, ByteBuf data, boolean endStream, HeaderMap trailers) {
        try {
            if (a != attempt || done) return;
            capture.content(data);
            if (endStream) {
                capture.trailers(trailers);
                a.complete();
                end(capture.status(), EnumSet.noneOf(ResponseFlag.class), null);
            }
        } finally {
            data.release();
        }
    }

    @Override
    public void onUpstreamFailure(Attempt a, UpstreamFailure failure, String detail) {
        if (a != attempt || done) return;
        boolean stale = failure == UpstreamFailure.RESET_BEFORE_REQUEST
                || (failure == UpstreamFailure.RESET && RequestHead.idempotent(copy.method()));
        if (a.reused() && stale && !relaunched) {
            // A pooled connection the endpoint closed while idle, as the router treats it: not the copy's fault.
            relaunched = true;
            launch();
            return;
        }
        end(0, EnumSet.of(failure.flag()), failure == UpstreamFailure.CONNECT_FAILURE ? "connection failure, " + detail : detail);
    }

    @Override
    public void onUpstreamOverflow(Attempt a) {
        if (a == attempt) end(0, EnumSet.of(ResponseFlag.UO), "the cluster's circuit breakers refused the copy");
    }

    private void end(int status, Set<ResponseFlag> flags, String note) {
        if (done) return;
        done = true;
        if (timer != null) timer.cancel();
        if (attempt != null) attempt.reset();
        RecordedResponse response = capture.hasHead() ? capture.result() : null;
        double ms = Math.round((sender.scheduler.nanoTime() - startNanos) / 1000.0) / 1000.0;
        try {
            sender.record(new ShadowExchange(copy.primaryId(), start, copy.method(), copy.headers().get("host"), copy.uri(),
                    copy.destination(), copy.endpoint().id(), status, note, flags, ms, response));
        } finally {
            // after recording, so that shadowsInFlight() == 0 means every shadow is in the journal
            sender.release();
        }
    }
}
