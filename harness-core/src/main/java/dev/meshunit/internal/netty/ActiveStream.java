package dev.meshunit.internal.netty;

import dev.meshunit.config.HttpRedirect;
import dev.meshunit.fault.FaultDecision;
import dev.meshunit.internal.time.Scheduler;
import dev.meshunit.filter.HeaderMutation;
import dev.meshunit.journal.Attempt;
import dev.meshunit.journal.DestinationRef;
import dev.meshunit.journal.Exchange;
import dev.meshunit.journal.InjectedFault;
import dev.meshunit.journal.ResponseFlag;
import dev.meshunit.router.EnvoyHeaders;
import dev.meshunit.router.RetryState;
import dev.meshunit.router.UpstreamFailure;
import dev.meshunit.routing.Route;
import dev.meshunit.routing.RouteAction;
import dev.meshunit.routing.RouteMatch;
import dev.meshunit.routing.RouteTable;
import dev.meshunit.routing.WeightedDestination;
import dev.meshunit.upstream.CircuitBreakers;
import dev.meshunit.upstream.Cluster;
import dev.meshunit.upstream.ClusterKey;
import dev.meshunit.upstream.Endpoint;
import dev.meshunit.upstream.Service;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One downstream request from head to the last byte of its answer (Envoy's ActiveStream with its filter
 * chain and router): route, fault, then attempts with retries and timeouts, and finally the journal entry.
 * Confined to the downstream connection's event loop; every timer is scheduled there.
 */
final class ActiveStream implements AttemptCallbacks {
    private final ConnectionManager connection;
    private final ChannelHandlerContext ctx;
    private final ProxyRuntime runtime;
    private final RouteTable table;
    private final ParsedRequest request;
    private final long id;
    private final Instant start;
    private final long startNanos;
    private final Scheduler.Timers timers;

    private RouteMatch match;
    private WeightedDestination destination;
    private ClusterKey clusterKey;
    private FaultDecision fault = FaultDecision.NONE;
    private RetryState retry;
    private HttpHeaders upstreamHeaders;
    private String upstreamUri;

    private final List<HttpContent> body = new ArrayList<>();
    private long bodyBytes;
    private boolean requestComplete;
    private boolean replayable = true;

    private MirrorTap mirror;
    private boolean awaitingBodyForFault;
    private long routeTimeoutMs;
    private UpstreamRequest upstream;
    private final Set<Endpoint> tried = new HashSet<>();
    private RequestHashing.Keyed hash;
    private final List<Attempt> attempts = new ArrayList<>(2);
    private int sentChunks;

    private Scheduler.Timer delayTimer;
    private Scheduler.Timer globalTimer;
    private Scheduler.Timer backoffTimer;

    private boolean responseStarted;
    private boolean responseComplete;
    private boolean closeAfterResponse;
    private int status;
    private final EnumSet<ResponseFlag> flags = EnumSet.noneOf(ResponseFlag.class);
    private boolean recorded;
    private boolean done;

    ActiveStream(ConnectionManager connection, ChannelHandlerContext ctx, ProxyRuntime runtime, ParsedRequest request) {
        this.connection = connection;
        this.ctx = ctx;
        this.runtime = runtime;
        this.table = runtime.table();
        this.request = request;
        this.id = runtime.journal.nextId();
        this.start = runtime.scheduler.clock().instant();
        this.startNanos = runtime.scheduler.nanoTime();
        this.timers = runtime.scheduler.on(ctx.channel().eventLoop());
    }

    // ---- downstream events ------------------------------------------------------------------------------

    void start() {
        match = table.route(request.host(), request.port(), request);
        if (!match.found()) {
            flags.add(ResponseFlag.NR);
            localReply(404, "", null);
            return;
        }
        Route route = match.route();
        RouteAction action = route.action();
        if (action instanceof RouteAction.Redirect redirect) {
            redirect(redirect.redirect());
        } else if (action instanceof RouteAction.DirectResponse direct) {
            directResponse(direct);
        } else {
            destination = ((RouteAction.Forward) action).pick(runtime.random);
            clusterKey = new ClusterKey(destination.host(), destinationPort(), destination.subset());
            if (!requestComplete && runtime.faultOverrides.needsBody(request, destination.host(), destination.subset())) {
                // A test fault keys its calls on the body: decide once the body is in (see onRequestContent).
                awaitingBodyForFault = true;
                return;
            }
            decideFault(request);
        }
    }

    /** The fault filter: the test's overrides first, then the route's own fault; delay, then abort. */
    private void decideFault(dev.meshunit.routing.RequestView view) {
        fault = runtime.faultOverrides.decide(view, destination.host(), destination.subset(), match.route().fault(),
                runtime.random);
        if (fault.delays()) {
            flags.add(ResponseFlag.DI);
            delayTimer = timers.schedule(this::afterDelay, fault.delay().toMillis());
        } else {
            afterDelay();
        }
    }

    /** Gives the request the digest of its body, when the whole body is held. */
    private ParsedRequest withBodyDigest() {
        if (!requestComplete || !replayable) return request;
        java.security.MessageDigest sha;
        try {
            sha = java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        for (HttpContent c : body) sha.update(c.content().nioBuffer());
        request.bodyDigest(java.util.HexFormat.of().formatHex(sha.digest()));
        return request;
    }

    private int destinationPort() {
        if (destination.port() != null) return destination.port();
        Service service = table.clusters().serviceByFqdn(destination.host());
        if (service != null && service.ports().size() == 1) return service.ports().get(0).number();
        return match.servicePort();
    }

    void onRequestContent(HttpContent content) {
        boolean last = content instanceof LastHttpContent;
        if (done || responseComplete) {
            // The answer is out (a local reply or an early response): drain the rest of the body.
            content.release();
            if (last) {
                requestComplete = true;
                if (done) connection.streamDone(this);
            }
            return;
        }
        if (mirror != null) mirror.onRequestContent(content, last);
        bodyBytes += content.content().readableBytes();
        if (last) requestComplete = true;
        body.add(content);
        if (upstream != null && upstream.connected()) {
            sendPendingBody();
            if (requestComplete) startPerTryTimer();
            if (!upstream.writable()) ctx.channel().config().setAutoRead(false);
        } else if (bodyBytes > runtime.maxBufferedBodyBytes) {
            // Waiting for a connection or a back-off: stop reading until there is somewhere to send to.
            ctx.channel().config().setAutoRead(false);
        }
        if (replayable && bodyBytes > runtime.maxBufferedBodyBytes) {
            replayable = false;
            if (retry != null) retry.bodyNotReplayable();
            dropSentChunks();
        }
        if (awaitingBodyForFault && (requestComplete || !replayable)) {
            awaitingBodyForFault = false;
            decideFault(withBodyDigest());
        }
        if (last && !done) startRouteTimer();
    }

    /** As in Envoy's router, the route timeout runs from the moment the whole request has been read. */
    private void startRouteTimer() {
        if (routeTimeoutMs > 0 && globalTimer == null && !done) {
            globalTimer = timers.schedule(this::onGlobalTimeout, routeTimeoutMs);
        }
    }

    void flushUpstream() {
        if (upstream != null) upstream.flush();
    }

    void onDownstreamWritabilityChanged(boolean writable) {
        if (upstream != null) upstream.setAutoRead(writable);
    }

    void onDownstreamClosed() {
        if (done) return;
        flags.add(ResponseFlag.DC);
        cancelTimers();
        abandonUpstream("downstream disconnected");
        if (!responseStarted) status = 0;
        finish(false);
    }

    /** Ends the attempt under way for the client's sake; one that had no answer yet is journalled with why. */
    private void abandonUpstream(String why) {
        if (upstream == null) return;
        if (!upstream.responseStarted() && upstream.connected()) {
            attempts.add(attempt(upstream, 0, why, EnumSet.noneOf(ResponseFlag.class)));
        }
        upstream.reset();
    }

    /** A protocol error in the request body after the head was accepted. */
    void onDownstreamProtocolError() {
        flags.add(ResponseFlag.DPE);
        requestComplete = true;
        abandonUpstream("downstream protocol error");
        if (!responseStarted) {
            localReply(400, "", null);
        }
        ctx.close();
    }

    // ---- fault filter ------------------------------------------------------------------------------------

    private void afterDelay() {
        if (done) return;
        if (fault.aborts()) {
            flags.add(ResponseFlag.FI);
            if (fault.grpcStatus() != null) {
                localReply(200, "", h -> h.set("grpc-status", grpcCode(fault.grpcStatus()))
                        .set(HttpHeaderNames.CONTENT_TYPE, "application/grpc"));
            } else {
                localReply(fault.abortStatus(), LocalReplies.FAULT_ABORT, null);
            }
            return;
        }
        startRouter();
    }

    // ---- router: retries and timeouts ------------------------------------------------------------------------

    private void startRouter() {
        Route route = match.route();
        Cluster target = table.clusters().cluster(clusterKey);
        retry = RetryState.of(route.retryPolicy(), request::header, target == null ? NO_RETRY_LIMIT : () -> {
            CircuitBreakers.Slot slot = target.breakers().tryRetry();
            return slot == null ? null : slot::release;
        }, runtime.random);
        if (!replayable) retry.bodyNotReplayable();
        Duration timeout = EnvoyHeaders.millis(request.header(EnvoyHeaders.ROUTE_TIMEOUT_MS), route.timeout());
        routeTimeoutMs = timeout == null || timeout.isZero() ? 0 : timeout.toMillis();
        if (requestComplete) startRouteTimer();
        upstreamHeaders = buildUpstreamHeaders(route);
        mirror = MirrorTap.open(runtime, ctx.channel().eventLoop(), id, table, route, clusterKey, match.servicePort(),
                upstreamHeaders, request.head().method(), upstreamUri, body);
        if (mirror != null && requestComplete) mirror.send();
        startAttempt();
    }

    /** A retry to a cluster that does not exist (it answers NC) needs no slot. */
    private static final RetryState.RetrySlots NO_RETRY_LIMIT = () -> () -> {};

    private void startAttempt() {
        backoffTimer = null;
        if (done) return;
        Cluster cluster = table.clusters().cluster(clusterKey);
        if (cluster == null) {
            flags.add(ResponseFlag.NC);
            localReply(503, "", null);
            return;
        }
        if (hash == null) hash = RequestHashing.key(cluster.hashPolicy(), request, runtime.random);
        Set<Endpoint> avoid = retry.policy().ignorePreviousHosts() && cluster.hashPolicy() == null ? tried : Set.of();
        Endpoint endpoint = cluster.choose(hash.hash(), avoid, runtime.random);
        if (endpoint == null) {
            flags.add(ResponseFlag.UH);
            localReply(503, LocalReplies.NO_HEALTHY_UPSTREAM, null);
            return;
        }
        retry.attemptStarted();
        tried.add(endpoint);
        launch(endpoint, retry.attempts(), cluster);
    }

    private void launch(Endpoint endpoint, int number, Cluster cluster) {
        sentChunks = 0;
        upstream = new UpstreamRequest(this, runtime.pool(ctx.channel().eventLoop()), runtime.scheduler, cluster, endpoint, number);
        upstream.start();
    }

    @Override
    public void onUpstreamReady(UpstreamRequest up) {
        if (up != upstream) return;
        // Encoded synchronously on this event loop, so the next attempt may reuse and change the same headers.
        upstreamHeaders.set("x-envoy-attempt-count", up.number());
        up.write(new DefaultHttpRequest(HttpVersion.HTTP_1_1, request.head().method(), upstreamUri, upstreamHeaders));
        sendPendingBody();
        up.flush();
        if (requestComplete) {
            startPerTryTimer();
        } else {
            // Undo only the body's back-pressure; with the request complete, reading waits for the next stream.
            ctx.channel().config().setAutoRead(true);
        }
    }

    private void sendPendingBody() {
        for (int i = sentChunks; i < body.size(); i++) {
            HttpContent c = body.get(i);
            upstream.write(replayable ? c.retainedDuplicate() : c);
        }
        sentChunks = body.size();
        if (!replayable) {
            body.clear();
            sentChunks = 0;
        }
    }

    private void dropSentChunks() {
        for (int i = 0; i < sentChunks; i++) body.get(i).release();
        body.subList(0, sentChunks).clear();
        sentChunks = 0;
    }

    private void startPerTryTimer() {
        Duration perTry = retry.policy().perTryTimeout();
        if (perTry != null && upstream != null && upstream.connected()) {
            upstream.startPerTryTimer(perTry.toMillis());
        }
    }

    @Override
    public void onUpstreamHeaders(UpstreamRequest up, HttpResponse response) {
        if (up != upstream || done) return;
        int code = response.status().code();
        attempts.add(attempt(up, code, null, EnumSet.noneOf(ResponseFlag.class)));
        RetryState.Decision decision = retry.onResponse(code, response.headers().get("grpc-status"));
        if (decision instanceof RetryState.Decision.Retry again) {
            up.reset();
            scheduleRetry(again.afterMillis());
            return;
        }
        flags.addAll(((RetryState.Decision.GiveUp) decision).flags());
        if (mirror != null) mirror.onPrimaryHead(response);
        responseStarted = true;
        status = code;
        // The decoder made this response for us alone: change it in place rather than copy it.
        HttpHeaders headers = response.headers();
        removeHopByHop(headers);
        headers.set("x-envoy-upstream-service-time", (long) up.elapsedMs());
        headers.set(HttpHeaderNames.SERVER, "envoy");
        applyResponseMutations(headers);
        if (hash != null && hash.setCookie() != null) headers.add(HttpHeaderNames.SET_COOKIE, hash.setCookie());
        closeAfterResponse = !delimitBody(headers, code) || !request.keepAlive();
        if (closeAfterResponse) headers.set(HttpHeaderNames.CONNECTION, "close");
        else if (request.head().protocolVersion() == HttpVersion.HTTP_1_0) headers.set(HttpHeaderNames.CONNECTION, "keep-alive");
        response.setProtocolVersion(request.head().protocolVersion());
        ctx.write(response, ctx.voidPromise());
    }

    /**
     * Makes the end of the body visible to the client when the upstream ended it by closing, or chunked it
     * for an HTTP/1.0 client that knows no chunks: chunked for HTTP/1.1, the end of the connection for
     * HTTP/1.0. Returns false when only closing the connection can end the body.
     */
    private boolean delimitBody(HttpHeaders h, int code) {
        if (h.contains(HttpHeaderNames.CONTENT_LENGTH) || code == 204 || code == 304
                || request.head().method().equals(io.netty.handler.codec.http.HttpMethod.HEAD)) {
            return true;
        }
        if (request.head().protocolVersion().equals(HttpVersion.HTTP_1_0)) {
            h.remove(HttpHeaderNames.TRANSFER_ENCODING);
            return false;
        }
        h.set(HttpHeaderNames.TRANSFER_ENCODING, io.netty.handler.codec.http.HttpHeaderValues.CHUNKED);
        return true;
    }

    @Override
    public void onUpstreamData(UpstreamRequest up, HttpContent content) {
        if (up != upstream || done || !responseStarted) {
            content.release();
            return;
        }
        if (mirror != null) mirror.onPrimaryContent(content);
        if (content instanceof LastHttpContent) {
            responseComplete = true;
            cancelTimers();
            // Recorded before the last byte leaves, so a client that has its answer finds it in the journal.
            record();
            // The attempt is over when its last byte arrived: an upstream closing right after it is no failure.
            up.complete();
            ctx.writeAndFlush(content).addListener((ChannelFutureListener) f -> {
                if (closeAfterResponse) ctx.close();
                finish(true);
            });
            return;
        }
        ctx.write(content, ctx.voidPromise());
        if (!ctx.channel().isWritable()) up.setAutoRead(false);
    }

    @Override
    public void onUpstreamReadComplete() {
        ctx.flush();
    }

    @Override
    public void onUpstreamWritabilityChanged(boolean writable) {
        if (!requestComplete) ctx.channel().config().setAutoRead(writable);
    }

    @Override
    public void onUpstreamFailure(UpstreamRequest up, UpstreamFailure failure, String detail) {
        if (up != upstream || done) return;
        if (up.responseStarted()) {
            // Headers already went downstream: all we can do is cut the connection, after what arrived.
            flags.add(failure == UpstreamFailure.PROTOCOL_ERROR ? ResponseFlag.UPE : ResponseFlag.UC);
            cancelTimers();
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            finish(false);
            return;
        }
        if (up.reused() && replayable && up.number() == retry.attempts()
                && (failure == UpstreamFailure.RESET_BEFORE_REQUEST
                        || (failure == UpstreamFailure.RESET && idempotent()))) {
            // A pooled connection the endpoint had closed while idle: a stale socket, not an attempt. Only
            // a request that cannot have taken effect twice is sent again.
            Cluster cluster = table.clusters().cluster(clusterKey);
            if (cluster != null) {
                launch(up.endpoint(), up.number(), cluster);
                return;
            }
        }
        attempts.add(attempt(up, 0, detail, EnumSet.of(failure.flag())));
        RetryState.Decision decision = retry.onFailure(failure);
        if (decision instanceof RetryState.Decision.Retry again) {
            scheduleRetry(again.afterMillis());
            return;
        }
        flags.addAll(((RetryState.Decision.GiveUp) decision).flags());
        switch (failure) {
            case CONNECT_FAILURE -> localReply(503, LocalReplies.resetBeforeHeaders("connection failure, " + detail), null);
            case PROTOCOL_ERROR -> localReply(503, LocalReplies.resetBeforeHeaders("protocol error"), null);
            case PER_TRY_TIMEOUT -> localReply(504, LocalReplies.TIMEOUT, null);
            case RESET, RESET_BEFORE_REQUEST -> localReply(503, LocalReplies.resetBeforeHeaders("connection termination"), null);
        }
    }

    private boolean idempotent() {
        String m = request.method();
        return m.equals("GET") || m.equals("HEAD") || m.equals("OPTIONS") || m.equals("PUT") || m.equals("DELETE")
                || m.equals("TRACE");
    }

    /** A circuit breaker refused the attempt: Envoy's overflow answer, never retried. */
    @Override
    public void onUpstreamOverflow(UpstreamRequest up) {
        if (up != upstream || done) return;
        flags.add(ResponseFlag.UO);
        localReply(503, LocalReplies.OVERFLOW, null);
    }

    private void scheduleRetry(long afterMillis) {
        backoffTimer = timers.schedule(this::startAttempt, afterMillis);
    }

    private void onGlobalTimeout() {
        globalTimer = null;
        if (done) return;
        flags.add(ResponseFlag.UT);
        if (backoffTimer != null) backoffTimer.cancel();
        if (responseStarted) {
            // Part of the answer is out: send what was written, then cut the connection.
            if (upstream != null) upstream.reset();
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            finish(false);
            return;
        }
        if (upstream != null && !upstream.responseStarted() && attempts.size() < retry.attempts()) {
            attempts.add(attempt(upstream, 0, "route timeout", EnumSet.of(ResponseFlag.UT)));
        }
        if (upstream != null) upstream.timedOut();
        localReply(504, LocalReplies.TIMEOUT, null);
    }

    // ---- headers ------------------------------------------------------------------------------------------------

    private HttpHeaders buildUpstreamHeaders(Route route) {
        HttpHeaders h = request.head().headers().copy();
        removeHopByHop(h);
        h.remove(HttpHeaderNames.EXPECT);
        h.remove(EnvoyHeaders.ROUTE_TIMEOUT_MS);
        h.remove(EnvoyHeaders.PER_TRY_TIMEOUT_MS);
        h.remove(EnvoyHeaders.MAX_RETRIES);
        h.set(HttpHeaderNames.HOST, request.authority());
        String path = request.path();
        String newPath = route.rewrite().path(path, match.matchedPrefix());
        if (route.rewrite().rewritesPath() && !newPath.equals(path)) {
            h.set("x-envoy-original-path", request.pathAndQuery());
        }
        upstreamUri = request.query() == null ? newPath : newPath + "?" + request.query();
        if (!h.contains("x-forwarded-proto")) h.set("x-forwarded-proto", request.scheme());
        if (!h.contains("x-request-id")) h.set("x-request-id", requestId());
        // Envoy evaluates weighted-cluster headers before the route's; with one destination, after.
        boolean weighted = ((RouteAction.Forward) route.action()).destinations().size() > 1;
        HeaderMutation first = weighted ? destination.requestHeaders() : route.requestHeaders();
        HeaderMutation second = weighted ? route.requestHeaders() : destination.requestHeaders();
        first.apply(h);
        second.apply(h);
        String authority = route.rewrite().authority();
        if (authority == null) authority = second.authorityOverride();
        if (authority == null) authority = first.authorityOverride();
        if (authority != null) h.set(HttpHeaderNames.HOST, authority);
        return h;
    }

    private void applyResponseMutations(HttpHeaders h) {
        if (match == null || match.route() == null) return;
        Route route = match.route();
        boolean weighted = destination != null && ((RouteAction.Forward) route.action()).destinations().size() > 1;
        HeaderMutation dest = destination == null ? HeaderMutation.NONE : destination.responseHeaders();
        if (weighted) {
            dest.apply(h);
            route.responseHeaders().apply(h);
        } else {
            route.responseHeaders().apply(h);
            dest.apply(h);
        }
    }

    private static void removeHopByHop(HttpHeaders h) {
        h.remove(HttpHeaderNames.CONNECTION);
        h.remove(HttpHeaderNames.KEEP_ALIVE);
        h.remove(HttpHeaderNames.PROXY_CONNECTION);
        h.remove(HttpHeaderNames.PROXY_AUTHORIZATION);
        h.remove(HttpHeaderNames.TE);
        h.remove(HttpHeaderNames.UPGRADE);
    }

    private String requestId() {
        long hi = runtime.random.nextLong();
        long lo = runtime.random.nextLong();
        return new java.util.UUID((hi & ~0xF000L) | 0x4000L, (lo & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L).toString();
    }

    private static String grpcCode(String name) {
        String[] names = {"OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND",
                "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED",
                "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED"};
        for (int i = 0; i < names.length; i++) {
            if (names[i].equalsIgnoreCase(name)) return Integer.toString(i);
        }
        return "2";
    }

    // ---- local replies ------------------------------------------------------------------------------------------

    private void redirect(HttpRedirect r) {
        String scheme = r.scheme() != null ? r.scheme() : request.scheme();
        String host = r.authority() != null ? r.authority() : request.host();
        String port = "";
        if (r.port() != null) {
            port = ":" + r.port();
        } else if ("FROM_REQUEST_PORT".equals(r.derivePort())) {
            port = ":" + request.port();
        } else if (r.derivePort() == null && r.authority() == null && request.authority().contains(":")
                && !request.authority().endsWith("]")) {
            port = request.authority().substring(request.authority().lastIndexOf(':'));
        }
        String path = request.path();
        if (r.uri() != null) {
            path = r.uri();
        } else if (r.prefixRewrite() != null && match.matchedPrefix() != null) {
            path = r.prefixRewrite() + path.substring(match.matchedPrefix().length());
        }
        String query = request.query() == null || path.contains("?") ? "" : "?" + request.query();
        String location = scheme + "://" + host + port + path + query;
        localReply(r.code(), "", h -> h.set(HttpHeaderNames.LOCATION, location));
    }

    private void directResponse(RouteAction.DirectResponse direct) {
        byte[] b = direct.body();
        status = direct.status();
        writeLocal(direct.status(), b, b.length > 0 ? "text/plain" : null, null);
    }

    private void localReply(int code, String body, java.util.function.Consumer<HttpHeaders> extra) {
        writeLocal(code, body.getBytes(StandardCharsets.UTF_8), body.isEmpty() ? null : "text/plain", extra);
    }

    private void writeLocal(int code, byte[] body, String contentType, java.util.function.Consumer<HttpHeaders> extra) {
        if (done) return;
        cancelTimers();
        if (responseStarted) {
            ctx.close();
            finish(false);
            return;
        }
        responseStarted = true;
        responseComplete = true;
        status = code;
        DefaultFullHttpResponse response = new DefaultFullHttpResponse(
                request.head().protocolVersion(), HttpResponseStatus.valueOf(code), Unpooled.wrappedBuffer(body));
        HttpHeaders h = response.headers();
        h.set(HttpHeaderNames.CONTENT_LENGTH, body.length);
        if (contentType != null) h.set(HttpHeaderNames.CONTENT_TYPE, contentType);
        h.set(HttpHeaderNames.SERVER, "envoy");
        if (extra != null) extra.accept(h);
        if (code == 503 && flags.contains(ResponseFlag.UO)) h.set("x-envoy-overloaded", "true");
        if (match != null && match.route() != null && flags.contains(ResponseFlag.FI)) applyResponseMutations(h);
        boolean close = !request.keepAlive();
        if (close) h.set(HttpHeaderNames.CONNECTION, "close");
        record();
        ctx.writeAndFlush(response).addListener((ChannelFutureListener) f -> {
            if (close) ctx.close();
            finish(true);
        });
    }

    // ---- the end --------------------------------------------------------------------------------------------------

    private void cancelTimers() {
        if (delayTimer != null) delayTimer.cancel();
        if (globalTimer != null) globalTimer.cancel();
        if (backoffTimer != null) backoffTimer.cancel();
        delayTimer = globalTimer = backoffTimer = null;
        if (retry != null) retry.release();
    }

    private void finish(boolean keepConnection) {
        if (done) return;
        done = true;
        cancelTimers();
        for (HttpContent c : body) c.release();
        body.clear();
        if (mirror != null) mirror.onStreamEnd();
        record();
        if (!keepConnection) return;
        if (upstream != null && !requestComplete) {
            // An early answer while the body is still coming: that upstream connection cannot be reused.
            upstream.reset();
        }
        if (requestComplete) {
            connection.streamDone(this);
        } else {
            // Reading may be off (back-pressure): the rest of the body must still be read and drained.
            ctx.channel().config().setAutoRead(true);
        }
    }

    boolean done() {
        return done;
    }

    private void record() {
        if (recorded) return;
        recorded = true;
        if (mirror != null) mirror.onPrimaryRecorded(status);
        // The journal keeps many exchanges: share what does not change from one to the next.
        DestinationRef dest = clusterKey == null ? null : runtime.destinationRef(clusterKey);
        dev.meshunit.journal.RouteRef ref = null;
        if (match != null && match.route() != null) {
            dev.meshunit.journal.RouteRef own = match.route().ref();
            ref = own.name().equals(match.routeName()) ? own
                    : new dev.meshunit.journal.RouteRef(own.virtualService(), own.namespace(), own.index(), match.routeName());
        }
        InjectedFault injected = fault == FaultDecision.NONE ? InjectedFault.NONE
                : new InjectedFault(fault.delay().toMillis(), fault.aborts() ? fault.abortStatus() : 0);
        runtime.journal.record(new Exchange(id, start, request.source(), request.head().method().name(),
                request.authority(), request.pathAndQuery(), request.headerMap(), ref, dest, attempts, injected,
                status, flags, round((runtime.scheduler.nanoTime() - startNanos) / 1_000_000.0)));
    }

    private Attempt attempt(UpstreamRequest up, int code, String error, EnumSet<ResponseFlag> attemptFlags) {
        return new Attempt(up.number(), up.endpoint().id(), code, error, attemptFlags, round(up.elapsedMs()));
    }

    private static double round(double ms) {
        return Math.round(ms * 1000) / 1000.0;
    }
}
