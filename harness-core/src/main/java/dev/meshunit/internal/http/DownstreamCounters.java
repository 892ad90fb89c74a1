package dev.meshunit.internal.http;

import dev.meshunit.downstream.DownstreamStats;
import java.util.concurrent.atomic.LongAdder;

/** The downstream counters of one proxy, added to from every event loop; read as {@link DownstreamStats}. */
public final class DownstreamCounters {
    public final LongAdder cxTotal = new LongAdder();
    public final LongAdder cxActive = new LongAdder();
    public final LongAdder cxOverflow = new LongAdder();
    public final LongAdder cxIdleTimeout = new LongAdder();
    public final LongAdder cxProtocolError = new LongAdder();
    public final LongAdder rqHeaderTimeout = new LongAdder();
    public final LongAdder rqIdleTimeout = new LongAdder();
    public final LongAdder rqHeadersTooLarge = new LongAdder();
    public final LongAdder rqOverloadClose = new LongAdder();

    public DownstreamStats snapshot() {
        return new DownstreamStats(cxTotal.sum(), cxActive.sum(), cxOverflow.sum(), cxIdleTimeout.sum(),
                cxProtocolError.sum(), rqHeaderTimeout.sum(), rqIdleTimeout.sum(), rqHeadersTooLarge.sum(),
                rqOverloadClose.sum());
    }
}
