package dev.meshunit.internal.netty;

import dev.meshunit.journal.DestinationRef;
import dev.meshunit.journal.ResponseFlag;
import dev.meshunit.journal.ShadowExchange;
import dev.meshunit.routing.Route;
import dev.meshunit.routing.RouteTable;
import dev.meshunit.upstream.Cluster;
import dev.meshunit.upstream.ClusterKey;
import dev.meshunit.upstream.Endpoint;
import dev.meshunit.upstream.Service;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;

/**
 * The request mirror policy of one stream (Envoy's shadow policies in the router): which of the route's
 * mirrors this request goes to (drawn once, so retries are mirrored once), a bounded copy of the body, and
 * the copies sent when the body is complete, as Envoy sends mirrors of requests with bodies. When the
 * proxy records bodies, it also keeps the primary's answer for comparison. Confined to the stream's loop;
 * it only ever reads what the stream hands it.
 */
final class MirrorTap {
    private final ProxyRuntime runtime;
    private final EventLoop loop;
    private final long primaryId;
    private final List<Route.MirrorTarget> targets;
    private final RouteTable table;
    private final int servicePort;
    private final HttpHeaders headers;
    private final HttpMethod method;
    private final String uri;
    private final Duration routeTimeout;
    private byte[] body = new byte[0];
    private int bodyBytes;
    private boolean overBound;
    private boolean sent;
    private final ResponseCapture primary;

    private MirrorTap(ProxyRuntime runtime, EventLoop loop, long primaryId, List<Route.MirrorTarget> targets,
                      RouteTable table, int servicePort, HttpHeaders headers, HttpMethod method, String uri,
                      Duration routeTimeout) {
        this.runtime = runtime;
        this.loop = loop;
        this.primaryId = primaryId;
        this.targets = targets;
        this.table = table;
        this.servicePort = servicePort;
        this.headers = headers;
        this.method = method;
        this.uri = uri;
        this.routeTimeout = routeTimeout;
        int keep = runtime.mirrors.options.recordBodyBytes();
        this.primary = keep > 0 ? new ResponseCapture(keep) : null;
    }

    /**
     * The tap for a request about to be routed, or null when the route mirrors nothing this time. Draws one
     * number per mirror with a percentage strictly between 0 and 100 from the proxy's seeded random source.
     * Like Envoy, nothing is mirrored when the primary's cluster does not exist.
     */
    static MirrorTap open(ProxyRuntime runtime, EventLoop loop, long primaryId, RouteTable table, Route route,
                          ClusterKey primaryCluster, int servicePort, HttpHeaders upstreamHeaders, HttpMethod method,
                          String uri, List<HttpContent> bodySoFar) {
        if (route.mirrors().isEmpty() || table.clusters().cluster(primaryCluster) == null) return null;
        List<Route.MirrorTarget> chosen = new ArrayList<>(route.mirrors().size());
        for (Route.MirrorTarget t : route.mirrors()) {
            if (t.percent() >= 100 || (t.percent() > 0 && runtime.random.nextDouble() * 100 < t.percent())) chosen.add(t);
        }
        if (chosen.isEmpty()) return null;
        MirrorTap tap = new MirrorTap(runtime, loop, primaryId, chosen, table, servicePort, upstreamHeaders.copy(),
                method, uri, route.timeout());
        for (HttpContent c : bodySoFar) tap.copy(c.content());
        return tap;
    }

    /** A chunk of the request body, before the stream sends or keeps it. */
    void onRequestContent(HttpContent content, boolean last) {
        copy(content.content());
        if (last) send();
    }

    private void copy(ByteBuf data) {
        int n = data.readableBytes();
        if (overBound || n == 0) return;
        if ((long) bodyBytes + n > runtime.mirrors.options.maxBodyBytes()) {
            overBound = true;
            body = new byte[0];
            return;
        }
        if (body.length < bodyBytes + n) {
            body = Arrays.copyOf(body, Math.max(bodyBytes + n, Math.min(runtime.mirrors.options.maxBodyBytes(), body.length * 2)));
        }
        data.getBytes(data.readerIndex(), body, bodyBytes, n);
        bodyBytes += n;
    }

    /** The request is complete (also called when the tap opens after the body was read, e.g. after a delay). */
    void send() {
        if (sent) return;
        sent = true;
        for (Route.MirrorTarget t : targets) sendTo(t);
        body = null;
    }

    private void sendTo(Route.MirrorTarget t) {
        int port = t.port() != null ? t.port() : portOf(t.host());
        DestinationRef dest = new DestinationRef(t.host(), t.subset(), port);
        HttpHeaders h = headers.copy();
        h.set(HttpHeaderNames.HOST, shadowAuthority(h.get(HttpHeaderNames.HOST)));
        if (overBound) {
            skip(dest, h, Set.of(), "request body over " + runtime.mirrors.options.maxBodyBytes()
                    + " bytes (mirror body bound): not mirrored");
            return;
        }
        if (bodyBytes > 0 || h.contains(HttpHeaderNames.TRANSFER_ENCODING) || h.contains(HttpHeaderNames.CONTENT_LENGTH)) {
            h.remove(HttpHeaderNames.TRANSFER_ENCODING);
            h.set(HttpHeaderNames.CONTENT_LENGTH, bodyBytes);
        }
        Cluster cluster = table.clusters().cluster(new ClusterKey(t.host(), port, t.subset()));
        if (cluster == null) {
            skip(dest, h, Set.of(ResponseFlag.NC), "no cluster " + t.host() + "|" + port + "|"
                    + (t.subset() == null ? "" : t.subset()));
            return;
        }
        Endpoint endpoint = cluster.choose(dev.meshunit.upstream.RequestHash.NONE, Set.of(), runtime.random);
        if (endpoint == null) {
            skip(dest, h, Set.of(ResponseFlag.UH), "no healthy upstream");
            return;
        }
        if (!runtime.mirrors.tryAcquire()) {
            skip(dest, h, Set.of(ResponseFlag.UO), runtime.mirrors.options.maxInFlight()
                    + " shadow copies already in flight: dropped");
            return;
        }
        long timeout = routeTimeout != null && !routeTimeout.isZero() ? routeTimeout.toMillis()
                : runtime.mirrors.options.timeout().toMillis();
        ShadowCall call = new ShadowCall(runtime.mirrors, new ShadowCall.Copy(primaryId, method, uri, h,
                Arrays.copyOf(body, bodyBytes), dest, endpoint, timeout, cluster.connectTimeout().toMillis()));
        try {
            // Queued behind the primary's own work on this loop: its connect and write go first.
            loop.execute(() -> call.start(loop));
        } catch (RejectedExecutionException closing) {
            runtime.mirrors.release();
            skip(dest, h, Set.of(), "proxy closing: not mirrored");
        }
    }

    private int portOf(String host) {
        Service service = table.clusters().serviceByFqdn(host);
        if (service != null && service.ports().size() == 1) return service.ports().get(0).number();
        return servicePort;
    }

    private void skip(DestinationRef dest, HttpHeaders h, Set<ResponseFlag> flags, String why) {
        runtime.mirrors.record(new ShadowExchange(primaryId, runtime.scheduler.clock().instant(), method.name(),
                h.get(HttpHeaderNames.HOST), uri, dest, null, 0, why, flags, 0, null));
    }

    /** Envoy's shadow host: {@code -shadow} after the host part, before any port ({@code a:80} → {@code a-shadow:80}). */
    static String shadowAuthority(String authority) {
        if (authority == null) return null;
        int colon = authority.lastIndexOf(':');
        boolean hasPort = colon > 0 && colon > authority.lastIndexOf(']');
        return hasPort ? authority.substring(0, colon) + "-shadow" + authority.substring(colon) : authority + "-shadow";
    }

    /** The stream ended; a request whose body never completed is not mirrored (Envoy would not either). */
    void onStreamEnd() {
        if (sent) return;
        sent = true;
        for (Route.MirrorTarget t : targets) {
            int port = t.port() != null ? t.port() : portOf(t.host());
            HttpHeaders h = headers.copy();
            h.set(HttpHeaderNames.HOST, shadowAuthority(h.get(HttpHeaderNames.HOST)));
            skip(new DestinationRef(t.host(), t.subset(), port), h, Set.of(),
                    "request ended before its body was complete: not mirrored");
        }
    }

    void onPrimaryHead(HttpResponse response) {
        if (primary != null) primary.head(response.status().code(), response.headers());
    }

    void onPrimaryContent(HttpContent content) {
        if (primary != null && primary.hasHead()) primary.content(content.content());
    }

    /** The primary's exchange is being journalled with {@code status}. */
    void onPrimaryRecorded(int status) {
        if (primary == null) return;
        runtime.journal.shadows().recordPrimary(primaryId,
                primary.hasHead() && primary.status() == status ? primary.result() : ResponseCapture.statusOnly(status));
    }
}
