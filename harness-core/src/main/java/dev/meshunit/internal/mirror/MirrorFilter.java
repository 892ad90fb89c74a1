package dev.meshunit.internal.mirror;

import dev.meshunit.internal.http.FilterCallbacks;
import dev.meshunit.internal.http.RequestHead;
import dev.meshunit.internal.http.ResponseHead;
import dev.meshunit.internal.http.StreamFilter;
import dev.meshunit.internal.http.StreamInfo;
import io.netty.buffer.ByteBuf;

/**
 * The route's {@code mirror}/{@code mirrors}: after the header filter (so copies carry the rewrites), before
 * the router (so retries are mirrored once). Copies go out when the request is complete and are never
 * waited for; with recorded bodies the primary's answer is kept for comparison.
 */
public final class MirrorFilter implements StreamFilter {
    private final FilterCallbacks stream;
    private final MirrorTap.Context context;
    private MirrorTap tap;

    public MirrorFilter(FilterCallbacks stream, MirrorTap.Context context) {
        this.stream = stream;
        this.context = context;
    }

    @Override
    public Status decodeHeaders(RequestHead request) {
        StreamInfo info = stream.info();
        if (request.upgrade() != null) return Status.CONTINUE; // an upgrade is never mirrored (Envoy shadows no tunnels)
        tap = MirrorTap.open(context, info.id(), info.table(), info.match().route(), info.clusterKey(),
                info.match().servicePort(), info.upstreamHeaders(), request.method(), info.upstreamUri(), stream.body());
        if (tap != null && stream.body().complete()) tap.send();
        return Status.CONTINUE;
    }

    @Override
    public void decodeData(ByteBuf data, boolean endStream) {
        if (tap != null) tap.onRequestContent(data, endStream);
    }

    @Override
    public void encodeHeaders(ResponseHead response, boolean local) {
        if (tap != null && !local) tap.onPrimaryHead(response);
    }

    @Override
    public void encodeData(ByteBuf data, boolean endStream) {
        if (tap != null) tap.onPrimaryContent(data);
    }

    @Override
    public void onLog(StreamInfo info) {
        if (tap != null) tap.onPrimaryRecorded(info.status());
    }

    @Override
    public void onDestroy() {
        if (tap != null) tap.onStreamEnd();
    }
}
