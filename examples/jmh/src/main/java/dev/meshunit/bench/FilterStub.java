package dev.meshunit.bench;

import dev.meshunit.internal.http.FilterCallbacks;
import dev.meshunit.internal.http.RequestHead;
import dev.meshunit.internal.http.StreamInfo;
import dev.meshunit.internal.routing.RouteAction;
import dev.meshunit.internal.routing.RouteMatch;
import dev.meshunit.internal.routing.RouteOptions;
import dev.meshunit.internal.routing.RouteTable;
import dev.meshunit.internal.routing.WeightedDestination;
import dev.meshunit.internal.upstream.ClusterKey;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.SplittableRandom;

/**
 * A stream's callbacks for the header filter under benchmark, which asks them for its stream info only: the
 * fixture request, routed once by the fixture config. A dynamic proxy, since the callbacks' other methods
 * take Netty types that the benchmark jar sees relocated.
 */
final class FilterStub {
    private FilterStub() {}

    static FilterCallbacks of(RequestHead request) {
        RouteTable table = RouteTable.compile(Fixtures.config(), RouteOptions.DEFAULTS);
        StreamInfo info = new StreamInfo(1, Instant.EPOCH, 0, request, table);
        RouteMatch match = table.route(request.host(), request.port(), request);
        WeightedDestination d = ((RouteAction.Forward) match.route().action()).pick(new SplittableRandom(1));
        info.route(match, d, new ClusterKey(d.host(), match.servicePort(), d.subset()));
        return (FilterCallbacks) Proxy.newProxyInstance(FilterCallbacks.class.getClassLoader(),
                new Class<?>[] {FilterCallbacks.class}, (proxy, method, args) -> {
                    if (method.getName().equals("info")) return info;
                    throw new UnsupportedOperationException(method.getName() + " in a header filter benchmark");
                });
    }
}
