package dev.meshunit.internal.http;

import dev.meshunit.VirtualSchedulers;
import dev.meshunit.VirtualTime;
import dev.meshunit.config.IstioConfig;
import dev.meshunit.internal.time.Scheduler;
import dev.meshunit.internal.routing.RouteAction;
import dev.meshunit.internal.routing.RouteMatch;
import dev.meshunit.internal.routing.RouteOptions;
import dev.meshunit.internal.routing.RouteTable;
import dev.meshunit.internal.routing.WeightedDestination;
import dev.meshunit.internal.upstream.ClusterContext;
import dev.meshunit.internal.upstream.ClusterKey;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The callbacks a filter gets from its stream, faked for unit tests: a request routed by a real compiled
 * route table, timers on virtual time, and a record of what the filter asked for.
 */
public final class FakeStream implements FilterCallbacks {
    public final VirtualTime time = VirtualTime.create();
    public final List<LocalReply> localReplies = new ArrayList<>();
    public int continued;
    public boolean holding;
    private final Scheduler scheduler = VirtualSchedulers.of(time);
    private final StreamInfo info;
    private final RequestBody body = new RequestBody(1024);

    /** A stream for {@code method target} with {@code headers} (name, value, ...), routed by {@code config}. */
    public FakeStream(IstioConfig config, String method, String target, String... headers) {
        this(config, method, target, TestHeaders.of(headers));
    }

    /** A stream for {@code method target} with {@code h} (of a codec's kind), routed by {@code config}. */
    public FakeStream(IstioConfig config, String method, String target, HeaderMap h) {
        RouteTable table = RouteTable.compile(config, RouteOptions.DEFAULTS, ClusterContext.DEFAULT);
        RequestHead request = RequestHead.parse(method, target, h.get("host"), h, "127.0.0.1:40000", null);
        info = new StreamInfo(1, time.now(), 0, request, table);
        RouteMatch match = table.route(request.host(), request.port(), request);
        if (match.found() && match.route().action() instanceof RouteAction.Forward f) {
            WeightedDestination d = f.pick(new Random(1));
            info.route(match, d, new ClusterKey(d.host(), d.port() == null ? match.servicePort() : d.port(), d.subset()));
        } else {
            info.route(match, null, null);
        }
    }

    public RequestHead request() {
        return info.request();
    }

    @Override
    public void continueDecoding() {
        continued++;
    }

    @Override
    public void sendLocalReply(LocalReply reply) {
        localReplies.add(reply);
    }

    @Override
    public void encodeHeaders(ResponseHead head) {}

    @Override
    public void encodeData(ByteBuf data, boolean endStream, HeaderMap trailers) {
        data.release();
    }

    @Override
    public void resetStream() {}

    @Override
    public void upgrade(ResponseHead head, dev.meshunit.internal.router.Attempt upstream) {
        upstream.reset();
    }

    @Override
    public void flushDownstream() {}

    @Override
    public void breakDownstream(StreamEncoder.Break how) {}

    @Override
    public HeaderMap newHeaders() {
        throw new UnsupportedOperationException("no codec in a fake stream");
    }

    @Override
    public boolean downstreamWritable() {
        return true;
    }

    @Override
    public void holdRequestBody(boolean hold) {
        holding = hold;
    }

    @Override
    public StreamInfo info() {
        return info;
    }

    @Override
    public RequestBody body() {
        return body;
    }

    @Override
    public Scheduler.Timers timers() {
        return scheduler.on(Runnable::run);
    }

    @Override
    public boolean done() {
        return !localReplies.isEmpty();
    }
}
