package dev.meshunit.internal.mirror;

import dev.meshunit.internal.http.HeaderMap;
import dev.meshunit.internal.http.RequestBody;
import dev.meshunit.internal.http.ResponseHead;
import dev.meshunit.internal.router.AttemptFactory;
import dev.meshunit.internal.time.Scheduler;
import dev.meshunit.journal.DestinationRef;
import dev.meshunit.journal.ResponseFlag;
import dev.meshunit.journal.ShadowExchange;
import dev.meshunit.internal.routing.Route;
import dev.meshunit.internal.routing.RouteTable;
import dev.meshunit.internal.upstream.Cluster;
import dev.meshunit.internal.upstream.ClusterKey;
import dev.meshunit.internal.upstream.Endpoint;
import dev.meshunit.internal.upstream.RequestHash;
import dev.meshunit.internal.upstream.Service;
import io.netty.buffer.ByteBuf;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.random.RandomGenerator;

/**
 * The request mirror policy of one stream (Envoy's shadow policies in the router): which of the route's
 * mirrors this request goes to (drawn once, so retries are mirrored once), a bounded copy of the body, and
 * the copies sent when the body is complete, as Envoy sends mirrors of requests with bodies. When the
 * proxy records bodies, it also keeps the primary's answer for comparison. Confined to the stream's loop.
 */
public final class MirrorTap {
    /** Where the copies go out: the stream's event loop, its connection pool, the proxy's shadow bounds. */
    public record Context(ShadowSender sender, Executor loop, AttemptFactory attempts, RandomGenerator random) {}

    private final Context context;
    private final long primaryId;
    private final List<Route.MirrorTarget> targets;
    private final RouteTable table;
    private final int servicePort;
    private final HeaderMap headers;
    private final String method;
    private final String uri;
    private final Duration routeTimeout;
    private final ResponseCapture primary;
    private byte[] body = new byte[0];
    private int bodyBytes;
    private boolean overBound;
    private boolean sent;

    private MirrorTap(Context context, long primaryId, List<Route.MirrorTarget> targets, RouteTable table,
                      int servicePort, HeaderMap headers, String method, String uri, Duration routeTimeout) {
        this.context = context;
        this.primaryId = primaryId;
        this.targets = targets;
        this.table = table;
        this.servicePort = servicePort;
        this.headers = headers;
        this.method = method;
        this.uri = uri;
        this.routeTimeout = routeTimeout;
        int keep = options().recordBodyBytes();
        this.primary = keep > 0 ? new ResponseCapture(keep) : null;
    }

    /**
     * The tap for a request about to be routed, or null when the route mirrors nothing this time. Draws one
     * number per mirror with a percentage strictly between 0 and 100 from the proxy's seeded random source.
     * Like Envoy, nothing is mirrored when the primary's cluster does not exist.
     */
    static MirrorTap open(Context context, long primaryId, RouteTable table, Route route, ClusterKey primaryCluster,
                          int servicePort, HeaderMap upstreamHeaders, String method, String uri, RequestBody bodySoFar) {
        if (route.mirrors().isEmpty() || table.clusters().cluster(primaryCluster) == null) return null;
        List<Route.MirrorTarget> chosen = new ArrayList<>(route.mirrors().size());
        for (Route.MirrorTarget t : route.mirrors()) {
            if (t.percent() >= 100 || (t.percent() > 0 && context.random().nextDouble() * 100 < t.percent())) chosen.add(t);
        }
        if (chosen.isEmpty()) return null;
        MirrorTap tap = new MirrorTap(context, primaryId, chosen, table, servicePort, upstreamHeaders.copy(), method, uri,
                route.timeout());
        for (RequestBody.Chunk c : bodySoFar.chunks()) tap.copy(c.data());
        return tap;
    }

    private MirrorOptions options() {
        return context.sender().options;
    }

    /** A chunk of the request body, as the stream read it. */
    void onRequestContent(ByteBuf data, boolean last) {
        copy(data);
        if (last) send();
    }

    private void copy(ByteBuf data) {
        int n = data.readableBytes();
        if (overBound || n == 0) return;
        int max = options().maxBodyBytes();
        if ((long) bodyBytes + n > max) {
            overBound = true;
            body = new byte[0];
            return;
        }
        if (body.length < bodyBytes + n) body = Arrays.copyOf(body, Math.max(bodyBytes + n, Math.min(max, body.length * 2)));
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
        HeaderMap h = shadowHeaders();
        if (overBound) {
            skip(dest, h, Set.of(), "request body over " + options().maxBodyBytes() + " bytes (mirror body bound): not mirrored");
            return;
        }
        if (bodyBytes > 0 || h.contains("transfer-encoding") || h.contains("content-length")) {
            h.remove("transfer-encoding");
            h.set("content-length", bodyBytes);
        }
        Cluster cluster = table.clusters().cluster(new ClusterKey(t.host(), port, t.subset()));
        if (cluster == null) {
            skip(dest, h, Set.of(ResponseFlag.NC), "no cluster " + t.host() + "|" + port + "|" + (t.subset() == null ? "" : t.subset()));
            return;
        }
        Endpoint endpoint = cluster.choose(RequestHash.NONE, Set.of(), context.random());
        if (endpoint == null) {
            skip(dest, h, Set.of(ResponseFlag.UH), "no healthy upstream");
            return;
        }
        ShadowSender sender = context.sender();
        if (!sender.tryAcquire()) {
            skip(dest, h, Set.of(ResponseFlag.UO), options().maxInFlight() + " shadow copies already in flight: dropped");
            return;
        }
        long timeout = routeTimeout != null && !routeTimeout.isZero() ? routeTimeout.toMillis() : options().timeout().toMillis();
        Scheduler.Timers timers = sender.scheduler.on(context.loop());
        ShadowStream shadow = new ShadowStream(sender, new ShadowStream.Copy(primaryId, method, uri, h,
                Arrays.copyOf(body, bodyBytes), dest, cluster, endpoint, timeout), context.attempts(), timers);
        try {
            // Queued behind the primary's own work on this loop: its connect and write go first.
            context.loop().execute(shadow::start);
        } catch (RejectedExecutionException closing) {
            sender.release();
            skip(dest, h, Set.of(), "proxy closing: not mirrored");
        }
    }

    private HeaderMap shadowHeaders() {
        HeaderMap h = headers.copy();
        h.set("host", shadowAuthority(h.get("host")));
        return h;
    }

    private int portOf(String host) {
        Service service = table.clusters().serviceByFqdn(host);
        if (service != null && service.ports().size() == 1) return service.ports().get(0).number();
        return servicePort;
    }

    private void skip(DestinationRef dest, HeaderMap h, Set<ResponseFlag> flags, String why) {
        ShadowSender sender = context.sender();
        sender.record(new ShadowExchange(primaryId, sender.scheduler.clock().instant(), method, h.get("host"), uri, dest,
                null, 0, why, flags, 0, null));
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
            skip(new DestinationRef(t.host(), t.subset(), port), shadowHeaders(), Set.of(),
                    "request ended before its body was complete: not mirrored");
        }
    }

    void onPrimaryHead(ResponseHead response) {
        if (primary != null) primary.head(response.status(), response.headers());
    }

    void onPrimaryContent(ByteBuf content) {
        if (primary != null && primary.hasHead()) primary.content(content);
    }

    /** The primary's exchange is being journalled with {@code status}. */
    void onPrimaryRecorded(int status) {
        if (primary == null) return;
        context.sender().journal.recordPrimary(primaryId,
                primary.hasHead() && primary.status() == status ? primary.result() : ResponseCapture.statusOnly(status));
    }
}
