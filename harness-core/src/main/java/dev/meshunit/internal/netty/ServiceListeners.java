package dev.meshunit.internal.netty;

import dev.meshunit.config.HostNames;
import dev.meshunit.config.ServicePort;
import dev.meshunit.internal.tcp.TcpListeners;
import dev.meshunit.internal.tcp.TcpProxy;
import dev.meshunit.internal.routing.RouteTable;
import dev.meshunit.internal.upstream.Service;
import java.net.InetSocketAddress;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Listeners per service port, by authority ({@code reviews:9080}), in the order they were opened: HTTP ones
 * when asked for (a client needs no Host header on them); TCP and TLS ones always, as nothing else reaches
 * them; and the ports of the gateways played. A reload opens listeners for new services; removed ones stay.
 */
public final class ServiceListeners {
    private final ProxyServer server;
    private final TcpProxy tcp;
    private final String bindAddress;
    private final boolean enabled;
    private volatile Map<String, InetSocketAddress> listeners = Map.of();

    /** @param enabled whether HTTP service ports get listeners of their own */
    public ServiceListeners(ProxyServer server, TcpProxy tcp, String bindAddress, boolean enabled) {
        this.server = server;
        this.tcp = tcp;
        this.bindAddress = bindAddress;
        this.enabled = enabled;
    }

    /** Opens a listener for every port of {@code table} that needs one and has none yet. */
    public synchronized void open(RouteTable table) throws InterruptedException {
        Map<String, InetSocketAddress> open = new LinkedHashMap<>(listeners);
        for (Service s : table.clusters().services()) {
            for (ServicePort p : s.ports()) {
                String authority = firstHostFor(s) + ":" + p.number();
                if (open.containsKey(authority)) continue;
                if (TcpListeners.opaque(p)) {
                    open.put(authority, TcpListeners.openForService(server, tcp, bindAddress, s, p, authority));
                } else if (enabled) {
                    open.put(authority, server.listen(new InetSocketAddress(bindAddress, 0), authority));
                }
            }
        }
        TcpListeners.openForGateways(server, tcp, bindAddress, open);
        listeners = Collections.unmodifiableMap(open);
    }

    /** {@link #open} after a reload, on the caller's thread. */
    public void reopen(RouteTable table) {
        try {
            open(table);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while binding a service listener", e);
        }
    }

    private static String firstHostFor(Service s) {
        for (String h : s.entry().hosts()) {
            if (HostNames.fqdn(h, s.namespace()).equals(s.fqdn())) return h;
        }
        return s.fqdn();
    }

    public Map<String, InetSocketAddress> all() {
        return listeners;
    }

    /** The listener of {@code service} ({@code reviews} or {@code reviews:9080}); fails naming the listeners there are. */
    public InetSocketAddress of(String service) {
        Objects.requireNonNull(service, "service");
        Map<String, InetSocketAddress> now = listeners;
        InetSocketAddress exact = now.get(service);
        if (exact != null) return exact;
        InetSocketAddress found = null;
        for (Map.Entry<String, InetSocketAddress> e : now.entrySet()) {
            if (e.getKey().startsWith(service + ":")) {
                if (found != null) throw new IllegalArgumentException(service + " has several ports; name one, e.g. " + e.getKey());
                found = e.getValue();
            }
        }
        if (found == null) {
            throw new IllegalArgumentException("no listener for " + service + "; listeners: " + now.keySet()
                    + (enabled ? "" : " (enable them with listenerPerService(true))"));
        }
        return found;
    }
}
