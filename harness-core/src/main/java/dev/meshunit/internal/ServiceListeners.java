package dev.meshunit.internal;

import dev.meshunit.config.HostNames;
import dev.meshunit.config.ServiceEntry;
import dev.meshunit.config.ServicePort;
import dev.meshunit.internal.netty.ProxyServer;
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
 * The listeners dedicated to one service port ({@code reviews:9080}) or one gateway port
 * ({@code tcp-echo-gateway:31400}), opened as configs add them and never closed before the proxy: HTTP ports
 * when listeners per service are asked for, TCP, TLS and other opaque ports always (nothing else reaches them).
 */
public final class ServiceListeners {
    private final ProxyServer server;
    private final TcpProxy tcp;
    private final String bindAddress;
    private final boolean httpPerService;
    private volatile Map<String, InetSocketAddress> open = Map.of();

    public ServiceListeners(ProxyServer server, TcpProxy tcp, String bindAddress, boolean httpPerService) {
        this.server = server;
        this.tcp = tcp;
        this.bindAddress = bindAddress;
        this.httpPerService = httpPerService;
    }

    /** Opens a listener for every port of {@code table}'s services and of the gateways that has none yet. */
    public synchronized void openFor(RouteTable table) throws InterruptedException {
        Map<String, InetSocketAddress> next = new LinkedHashMap<>(open);
        for (Service s : table.clusters().services()) {
            for (ServicePort p : s.ports()) {
                String authority = (s.entry().hosts().isEmpty() ? s.fqdn() : firstHostFor(s)) + ":" + p.number();
                if (next.containsKey(authority)) continue;
                if (TcpListeners.opaque(p)) {
                    next.put(authority, TcpListeners.openForService(server, tcp, bindAddress, s, p, authority));
                } else if (httpPerService) {
                    next.put(authority, server.listen(new InetSocketAddress(bindAddress, 0), authority));
                }
            }
        }
        TcpListeners.openForGateways(server, tcp, bindAddress, next);
        open = Collections.unmodifiableMap(next);
    }

    private static String firstHostFor(Service s) {
        ServiceEntry se = s.entry();
        for (String h : se.hosts()) {
            if (HostNames.fqdn(h, s.namespace()).equals(s.fqdn())) return h;
        }
        return s.fqdn();
    }

    /** The listener of {@code service} ({@code reviews}, when it has one port, or {@code reviews:9080}). */
    public InetSocketAddress address(String service) {
        Objects.requireNonNull(service, "service");
        Map<String, InetSocketAddress> now = open;
        InetSocketAddress exact = now.get(service);
        if (exact != null) return exact;
        InetSocketAddress found = null;
        for (Map.Entry<String, InetSocketAddress> e : now.entrySet()) {
            if (e.getKey().startsWith(service + ":")) {
                if (found != null) {
                    throw new IllegalArgumentException(service + " has several ports; name one, e.g. " + e.getKey());
                }
                found = e.getValue();
            }
        }
        if (found == null) {
            throw new IllegalArgumentException("no listener for " + service + "; listeners: " + now.keySet()
                    + (httpPerService ? "" : " (enable them with listenerPerService(true))"));
        }
        return found;
    }

    /** By name, in the order they were opened. */
    public Map<String, InetSocketAddress> all() {
        return open;
    }
}
