package dev.meshunit.internal.netty;

import dev.meshunit.config.HostNames;
import dev.meshunit.config.ServicePort;
import dev.meshunit.routing.RouteTable;
import dev.meshunit.upstream.Service;
import java.net.InetSocketAddress;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One listener per service port (a client needs no Host header on it), by authority ({@code reviews:9080}),
 * in the order they were opened. A reload opens listeners for new services; removed ones stay open.
 */
public final class ServiceListeners {
    private final ProxyServer server;
    private final String bindAddress;
    private final boolean enabled;
    private volatile Map<String, InetSocketAddress> listeners = Map.of();

    public ServiceListeners(ProxyServer server, String bindAddress, boolean enabled) {
        this.server = server;
        this.bindAddress = bindAddress;
        this.enabled = enabled;
    }

    /** Opens a listener for every service port of {@code table} that has none yet, when enabled. */
    public synchronized void open(RouteTable table) throws InterruptedException {
        if (!enabled) return;
        Map<String, InetSocketAddress> open = new LinkedHashMap<>(listeners);
        for (Service s : table.clusters().services()) {
            for (ServicePort p : s.ports()) {
                String authority = firstHostFor(s) + ":" + p.number();
                if (!open.containsKey(authority)) open.put(authority, server.listen(new InetSocketAddress(bindAddress, 0), authority));
            }
        }
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
