package dev.meshunit.internal.http;

import dev.meshunit.fault.FaultDecision;
import dev.meshunit.journal.InjectedFault;
import dev.meshunit.journal.Attempt;
import dev.meshunit.journal.ResponseFlag;
import dev.meshunit.internal.routing.RouteMatch;
import dev.meshunit.internal.routing.RouteTable;
import dev.meshunit.internal.routing.WeightedDestination;
import dev.meshunit.internal.upstream.ClusterKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * What one stream learned on its way (Envoy's StreamInfo): the route and destination, the fault applied,
 * the request as it goes upstream, each attempt, the response flags and status. Filters write it; the stream
 * journals it. Confined to the stream's event loop.
 */
public final class StreamInfo {
    private final long id;
    private final Instant start;
    private final long startNanos;
    private final RequestHead request;
    private final RouteTable table;
    private final EnumSet<ResponseFlag> flags = EnumSet.noneOf(ResponseFlag.class);
    private final List<Attempt> attempts = new ArrayList<>(2);
    private RouteMatch match;
    private String nearestRoute;
    private WeightedDestination destination;
    private ClusterKey clusterKey;
    private FaultDecision fault = FaultDecision.NONE;
    private HeaderMap upstreamHeaders;
    private String upstreamUri;
    private String setCookie;
    private long upstreamServiceTimeMs;
    private int status;
    private String grpcStatus;
    private String grpcMessage;
    private java.util.Map<String, List<String>> trailers = java.util.Map.of();

    public StreamInfo(long id, Instant start, long startNanos, RequestHead request, RouteTable table) {
        this.id = id;
        this.start = start;
        this.startNanos = startNanos;
        this.request = request;
        this.table = table;
    }

    /** Notes the gRPC status of the answer going downstream, from its head (trailers-only) or its trailers. */
    public void responseHeaders(HeaderMap h) {
        if (h == null || h.get("grpc-status") == null) return;
        grpcStatus = h.get("grpc-status");
        grpcMessage = h.get("grpc-message");
    }

    /** Keeps the trailers of the answer going downstream, for the journal. */
    public void responseTrailers(HeaderMap t) {
        if (t != null) trailers = t.toMap();
    }

    public java.util.Map<String, List<String>> responseTrailers() {
        return trailers;
    }

    public String grpcStatus() {
        return grpcStatus;
    }

    public String grpcMessage() {
        return grpcMessage;
    }

    public long id() {
        return id;
    }

    public Instant start() {
        return start;
    }

    public long startNanos() {
        return startNanos;
    }

    public RequestHead request() {
        return request;
    }

    /** The route table the stream started with; a reload does not change it. */
    public RouteTable table() {
        return table;
    }

    public EnumSet<ResponseFlag> flags() {
        return flags;
    }

    public List<Attempt> attempts() {
        return attempts;
    }

    public RouteMatch match() {
        return match;
    }

    public WeightedDestination destination() {
        return destination;
    }

    public ClusterKey clusterKey() {
        return clusterKey;
    }

    public void route(RouteMatch match, WeightedDestination destination, ClusterKey clusterKey) {
        this.match = match;
        this.destination = destination;
        this.clusterKey = clusterKey;
    }

    public FaultDecision fault() {
        return fault;
    }

    public void fault(FaultDecision fault) {
        this.fault = fault;
    }

    /** The headers the upstream gets (finalised by the header filter), and the request target. */
    public HeaderMap upstreamHeaders() {
        return upstreamHeaders;
    }

    public String upstreamUri() {
        return upstreamUri;
    }

    public void upstreamRequest(HeaderMap headers, String uri) {
        this.upstreamHeaders = headers;
        this.upstreamUri = uri;
    }

    /** A consistent-hash cookie the proxy made up for this client, for the answer's Set-Cookie. */
    public String setCookie() {
        return setCookie;
    }

    public void setCookie(String value) {
        this.setCookie = value;
    }

    /** Envoy's x-envoy-upstream-service-time of the attempt that answered. */
    public long upstreamServiceTimeMs() {
        return upstreamServiceTimeMs;
    }

    public void upstreamServiceTimeMs(long ms) {
        this.upstreamServiceTimeMs = ms;
    }

    public int status() {
        return status;
    }

    public void status(int status) {
        this.status = status;
    }

    /** Why no route matched (a 404 NR), or null. */
    public String nearestRoute() {
        return nearestRoute;
    }

    public void nearestRoute(String why) {
        this.nearestRoute = why;
    }

    /** The fault as the journal keeps it. */
    /** The cluster of destination {@code d}: its port, else the service's only port, else the port matched. */
    public ClusterKey clusterKeyFor(WeightedDestination d, RouteMatch match) {
        int port = match.servicePort();
        if (d.port() != null) {
            port = d.port();
        } else {
            var service = table.clusters().serviceByFqdn(d.host());
            if (service != null && service.ports().size() == 1) port = service.ports().get(0).number();
        }
        return new ClusterKey(d.host(), port, d.subset());
    }

    /** The exchange as the journal keeps it, ended at {@code nowNanos}; {@code dest} is the cluster's shared reference. */
    public dev.meshunit.journal.Exchange exchange(dev.meshunit.journal.DestinationRef dest, long nowNanos) {
        RequestHead r = request;
        double ms = (nowNanos - startNanos) / 1_000_000.0;
        return new dev.meshunit.journal.Exchange(id, start, r.source(), r.method(), r.authority(), r.pathAndQuery(),
                r.headers().toMap(), routeRef(), dest, attempts, injectedFault(), status, flags,
                Math.round(ms * 1000) / 1000.0, dev.meshunit.journal.Truncation.NONE, r.protocol(), r.streamId(),
                grpcStatus, grpcMessage, nearestRoute, trailers);
    }

    /** The journal's reference to the route that matched (naming the matched rule), or null. */
    public dev.meshunit.journal.RouteRef routeRef() {
        if (match == null || match.route() == null) return null;
        dev.meshunit.journal.RouteRef own = match.route().ref();
        return own.name().equals(match.routeName()) ? own
                : new dev.meshunit.journal.RouteRef(own.virtualService(), own.namespace(), own.index(), match.routeName());
    }

    public InjectedFault injectedFault() {
        if (fault == FaultDecision.NONE) return InjectedFault.NONE;
        return new InjectedFault(fault.delay().toMillis(), fault.aborts() ? fault.abortStatus() : 0,
                fault.breaks() ? fault.broken().marker() : null);
    }
}
