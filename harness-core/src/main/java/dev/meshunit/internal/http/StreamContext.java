package dev.meshunit.internal.http;

import dev.meshunit.internal.time.Scheduler;
import dev.meshunit.journal.DestinationRef;
import dev.meshunit.journal.JournalWriter;
import dev.meshunit.internal.routing.RouteTable;
import dev.meshunit.internal.upstream.ClusterKey;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.random.RandomGenerator;

/** What every stream of one proxy shares, whatever its codec. */
public interface StreamContext {
    /** The route table now; a stream keeps the one it started with. */
    RouteTable table();

    JournalWriter journal();

    Scheduler scheduler();

    /** The proxy's seeded random source, drawn in the order the proxy makes its choices. */
    RandomGenerator random();

    int maxBufferedBodyBytes();

    /** One journal reference per cluster, shared by its exchanges. */
    DestinationRef destinationRef(ClusterKey key);

    /** The filter chain of a stream routed to a cluster: fault, header mutation, mirror, router last. */
    List<StreamFilter> filters(FilterCallbacks stream, Executor loop);
}
