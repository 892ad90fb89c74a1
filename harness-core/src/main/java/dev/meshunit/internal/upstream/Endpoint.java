package dev.meshunit.internal.upstream;

import dev.meshunit.upstream.UpstreamAddressing;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One backend address of a service port, with the labels subsets select on. The active-request count is
 * shared by every cluster (subset) the endpoint belongs to, as Envoy's least-request balancer sees it.
 */
public final class Endpoint {
    private final String address;
    private final int port;
    private final Map<String, String> labels;
    private final int weight;
    private final InetSocketAddress socketAddress;
    private final String id;
    private final AtomicInteger activeRequests = new AtomicInteger();

    public Endpoint(String address, int port, Map<String, String> labels, int weight) {
        this.address = address;
        this.port = port;
        this.labels = Map.copyOf(labels);
        this.weight = weight <= 0 ? 1 : weight;
        this.socketAddress = InetSocketAddress.createUnresolved(address, port);
        this.id = (address.indexOf(':') >= 0 ? "[" + address + "]" : address) + ":" + port;
    }

    public String address() {
        return address;
    }

    public int port() {
        return port;
    }

    public Map<String, String> labels() {
        return labels;
    }

    public int weight() {
        return weight;
    }

    /** Unresolved, so that a name such as {@code localhost} is resolved when connecting. */
    public InetSocketAddress socketAddress() {
        return socketAddress;
    }

    /** Where a connection to this endpoint of service {@code host} is opened: here, unless {@code via} says otherwise. */
    public InetSocketAddress connectAddress(UpstreamAddressing via, String host) {
        return via == null ? socketAddress : via.connectTo(host, socketAddress, labels);
    }

    /** {@code address:port}, as the journal names it. */
    public String id() {
        return id;
    }

    public int activeRequests() {
        return activeRequests.get();
    }

    public void requestStarted() {
        activeRequests.incrementAndGet();
    }

    public void requestFinished() {
        activeRequests.decrementAndGet();
    }

    public boolean selectedBy(Map<String, String> selector) {
        return labels.entrySet().containsAll(selector.entrySet());
    }

    @Override
    public String toString() {
        return id + (labels.isEmpty() ? "" : " " + labels);
    }
}
