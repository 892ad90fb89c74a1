package dev.meshunit.internal.router;

import dev.meshunit.internal.http.FilterCallbacks;
import dev.meshunit.internal.http.HeaderMap;
import dev.meshunit.internal.http.LocalReply;
import dev.meshunit.internal.http.RequestBody;
import dev.meshunit.internal.http.RequestHead;
import dev.meshunit.internal.http.ResponseHead;
import dev.meshunit.internal.http.StreamFilter;
import dev.meshunit.internal.http.StreamInfo;
import dev.meshunit.internal.time.Scheduler;
import dev.meshunit.journal.ResponseFlag;
import dev.meshunit.internal.upstream.Cluster;
import dev.meshunit.internal.upstream.Endpoint;
import io.netty.buffer.ByteBuf;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Envoy's router, the last filter: the route timeout (from the end of the request), attempts against
 * endpoints the cluster picks, per-try timeouts, retries as {@link RetryState} decides, and the answer
 * passed downstream with back-pressure both ways. Codec-independent: attempts come from an
 * {@link AttemptFactory}. Confined to the stream's event loop.
 *
 * <p>A little over 300 lines: the route timer, the attempt, its per-try timer and the back-off are one state
 * machine whose transitions must be read together; the decisions themselves live in {@link RetryState}.
 */
public final class RouterFilter implements StreamFilter, AttemptCallbacks {
    private final FilterCallbacks stream;
    private final AttemptFactory attempts;
    private final RandomGenerator random;
    private Endpoint firstTried; // only for ignorePreviousHosts: most requests need one attempt, so no set
    private Set<Endpoint> tried; // from the second attempt on
    private RetryState retry;
    private long routeTimeoutMs; // 0: none
    private Attempt upstream;
    private RequestHashing.Keyed hash;
    private Scheduler.Timer routeTimer, backoffTimer;
    private boolean responding;
    private final int recordBodyBytes; // how much of each attempt's request and answer body to journal (0: none)
    private AttemptCapture capture;

    public RouterFilter(FilterCallbacks stream, AttemptFactory attempts, RandomGenerator random, int recordBodyBytes) {
        this.stream = stream;
        this.attempts = attempts;
        this.random = random;
        this.recordBodyBytes = recordBodyBytes;
    }

    @Override
    public Status decodeHeaders(RequestHead request) {
        StreamInfo info = stream.info();
        Cluster target = info.table().clusters().cluster(info.clusterKey());
        retry = RetryState.forCluster(info.match().route().retryPolicy(), request::header, target, random);
        if (!stream.body().replayable()) retry.bodyNotReplayable();
        Duration timeout = EnvoyHeaders.millis(request.header(EnvoyHeaders.ROUTE_TIMEOUT_MS),
                GrpcTimeout.apply(request, info.match().route().timeout()));
        routeTimeoutMs = timeout == null || timeout.isZero() ? 0 : timeout.toMillis();
        if (stream.body().complete()) startRouteTimer();
        startAttempt();
        return Status.STOP;
    }

    @Override
    public void decodeData(ByteBuf data, boolean endStream) {
        if (!stream.body().replayable()) retry.bodyNotReplayable();
        if (upstream != null && upstream.connected()) {
            sendPendingBody();
            if (endStream) startPerTryTimer();
            if (!upstream.writable()) stream.holdRequestBody(true);
        }
        if (endStream) startRouteTimer();
    }

    /** As in Envoy's router, the route timeout runs from the moment the whole request has been read. */
    private void startRouteTimer() {
        if (routeTimeoutMs > 0 && routeTimer == null && !stream.done()) {
            routeTimer = stream.timers().schedule(this::onRouteTimeout, routeTimeoutMs);
        }
    }

    private void startAttempt() {
        backoffTimer = null;
        if (stream.done()) return;
        StreamInfo info = stream.info();
        Cluster cluster = info.table().clusters().cluster(info.clusterKey());
        if (cluster == null) {
            info.flags().add(ResponseFlag.NC);
            localReply(LocalReply.text(503, ""));
            return;
        }
        if (hash == null) {
            hash = RequestHashing.key(cluster.hashPolicy(), info.request(), random);
            info.setCookie(hash.setCookie());
        }
        boolean ignorePrevious = retry.policy().ignorePreviousHosts();
        Set<Endpoint> avoid = !ignorePrevious || cluster.hashPolicy() != null || firstTried == null ? Set.of()
                : tried != null ? tried : Set.of(firstTried);
        Endpoint endpoint = cluster.choose(hash.hash(), avoid, random);
        if (endpoint == null) {
            info.flags().add(ResponseFlag.UH);
            localReply(LocalReply.text(503, LocalReply.NO_HEALTHY_UPSTREAM));
            return;
        }
        retry.attemptStarted();
        if (ignorePrevious) {
            if (firstTried == null) {
                firstTried = endpoint;
            } else {
                if (tried == null) tried = new HashSet<>(Set.of(firstTried));
                tried.add(endpoint);
            }
        }
        launch(endpoint, retry.attempts(), cluster);
    }

    private void launch(Endpoint endpoint, int number, Cluster cluster) {
        stream.body().rewind();
        capture = new AttemptCapture(recordBodyBytes);
        upstream = attempts.create(cluster, endpoint, number, this,
                RequestHead.HTTP_2.equals(stream.info().request().protocol()));
        upstream.start();
    }

    @Override
    public void onUpstreamReady(Attempt up) {
        if (up != upstream) return;
        StreamInfo info = stream.info();
        // Encoded at once on this event loop, so the next attempt may reuse and change the same headers.
        info.upstreamHeaders().set("x-envoy-attempt-count", up.number());
        capture.sent(info.upstreamUri(), info.upstreamHeaders());
        up.sendHeaders(info.request().method(), info.upstreamUri(), info.upstreamHeaders());
        sendPendingBody();
        up.flush();
        if (stream.body().complete()) {
            startPerTryTimer();
        } else {
            stream.holdRequestBody(false);
        }
    }

    private void sendPendingBody() {
        stream.body().sendUnsent(c -> upstream.sendData(capture.requestData(c.data()), c.last(), c.trailers()));
    }

    private void startPerTryTimer() {
        Duration perTry = retry.policy().perTryTimeout();
        if (perTry != null && upstream != null && upstream.connected()) upstream.startPerTryTimer(perTry.toMillis());
    }

    @Override
    public void onUpstreamHeaders(Attempt up, ResponseHead head) {
        if (up != upstream || stream.done()) return;
        StreamInfo info = stream.info();
        int code = head.status();
        info.attempts().add(capture.record(up, code, null, Set.of()));
        if (code == 101) { // an upgrade's route timeout ends with its 101, as in Envoy; so does the stream
            cancelTimers();
            stream.upgrade(head, up);
            return;
        }
        RetryState.Decision decision = retry.onResponse(code, head.headers().get("grpc-status"));
        if (decision instanceof RetryState.Decision.Retry again) {
            up.reset();
            scheduleRetry(again.afterMillis());
            return;
        }
        info.flags().addAll(((RetryState.Decision.GiveUp) decision).flags());
        info.upstreamServiceTimeMs((long) up.elapsedMs());
        responding = true;
        stream.encodeHeaders(head);
    }

    @Override
    public void onUpstreamData(Attempt up, ByteBuf data, boolean endStream, HeaderMap trailers) {
        if (up != upstream || stream.done() || !responding) {
            data.release();
            return;
        }
        capture.responseData(data, endStream ? stream.info().attempts() : null);
        if (endStream) {
            cancelTimers();
            // The attempt is over when its last byte arrived: an upstream closing right after it is no failure.
            up.complete();
            stream.encodeData(data, true, trailers);
            return;
        }
        stream.encodeData(data, false, null);
        if (!stream.downstreamWritable()) up.readAnswer(false);
    }

    @Override
    public void onUpstreamReadComplete() {
        stream.flushDownstream();
    }

    @Override
    public void onUpstreamWritabilityChanged(boolean writable) {
        if (!stream.body().complete()) stream.holdRequestBody(!writable);
    }

    @Override
    public void onDownstreamWatermark(boolean writable) {
        if (upstream != null) upstream.readAnswer(writable);
    }

    @Override
    public void onDownstreamReadComplete() {
        if (upstream != null) upstream.flush();
    }

    @Override
    public void onUpstreamFailure(Attempt up, UpstreamFailure failure, String detail) {
        if (up != upstream || stream.done()) return;
        StreamInfo info = stream.info();
        if (up.responseStarted()) {
            // Headers already went downstream: all we can do is cut the connection, after what arrived.
            info.flags().add(failure == UpstreamFailure.PROTOCOL_ERROR ? ResponseFlag.UPE : ResponseFlag.UC);
            capture.addResponseBody(stream.info().attempts());
            cancelTimers();
            stream.resetStream();
            return;
        }
        if (staleConnection(up, failure)) {
            // A pooled connection the endpoint had closed while idle: a stale socket, not an attempt. Only
            // a request that cannot have taken effect twice is sent again.
            Cluster cluster = info.table().clusters().cluster(info.clusterKey());
            if (cluster != null) {
                launch(up.endpoint(), up.number(), cluster);
                return;
            }
        }
        info.attempts().add(capture.record(up, 0, detail, EnumSet.of(failure.flag())));
        RetryState.Decision decision = retry.onFailure(failure);
        if (decision instanceof RetryState.Decision.Retry again) {
            scheduleRetry(again.afterMillis());
            return;
        }
        info.flags().addAll(((RetryState.Decision.GiveUp) decision).flags());
        localReply(LocalReply.upstreamFailure(failure, detail));
    }

    private boolean staleConnection(Attempt up, UpstreamFailure failure) {
        RequestBody body = stream.body();
        return up.reused() && body.replayable() && up.number() == retry.attempts()
                && (failure == UpstreamFailure.RESET_BEFORE_REQUEST
                        || (failure == UpstreamFailure.RESET && stream.info().request().idempotent()));
    }

    /** A circuit breaker refused the attempt: Envoy's overflow answer, never retried. */
    @Override
    public void onUpstreamOverflow(Attempt up) {
        if (up != upstream || stream.done()) return;
        stream.info().flags().add(ResponseFlag.UO);
        localReply(LocalReply.text(503, LocalReply.OVERFLOW));
    }

    private void scheduleRetry(long afterMillis) {
        backoffTimer = stream.timers().schedule(this::startAttempt, afterMillis);
    }

    private void onRouteTimeout() {
        routeTimer = null;
        if (stream.done()) return;
        StreamInfo info = stream.info();
        info.flags().add(ResponseFlag.UT);
        if (backoffTimer != null) backoffTimer.cancel();
        if (responding) {
            // Part of the answer is out: send what was written, then cut the connection.
            if (upstream != null) upstream.reset();
            stream.resetStream();
            return;
        }
        if (upstream != null && !upstream.responseStarted() && info.attempts().size() < retry.attempts()) {
            info.attempts().add(capture.record(upstream, 0, "route timeout", EnumSet.of(ResponseFlag.UT)));
        }
        if (upstream != null) upstream.timedOut();
        localReply(LocalReply.text(504, LocalReply.TIMEOUT));
    }

    private void localReply(LocalReply reply) {
        cancelTimers();
        stream.sendLocalReply(reply);
    }

    /** Ends the attempt under way for the client's sake; one that had no answer yet is journalled with why. */
    @Override
    public void onReset(String reason) {
        cancelTimers();
        if (upstream == null) return;
        if (!upstream.responseStarted() && upstream.connected()) {
            stream.info().attempts().add(capture.record(upstream, 0, reason, Set.of()));
        }
        upstream.reset();
    }

    @Override
    public void onDestroy() {
        cancelTimers();
        // An early answer while the body is still coming, or a local reply (stream idle timeout) while the attempt
        // waits for its answer: that upstream connection cannot be reused.
        if (upstream != null && (!stream.body().complete() || upstream.connected())) upstream.reset();
    }

    private void cancelTimers() {
        if (routeTimer != null) routeTimer.cancel();
        if (backoffTimer != null) backoffTimer.cancel();
        routeTimer = backoffTimer = null;
        if (retry != null) retry.release();
    }
}
