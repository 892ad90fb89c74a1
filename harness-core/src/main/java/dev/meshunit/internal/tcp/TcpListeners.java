package dev.meshunit.internal.tcp;

import dev.meshunit.config.ServicePort;
import dev.meshunit.internal.netty.ProxyServer;
import dev.meshunit.internal.routing.L4Listener;
import dev.meshunit.internal.upstream.Service;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Which ports get a TCP listener, and opening them: every opaque port of a service (Istio proxies TCP, TLS,
 * HTTPS, MONGO, MYSQL, REDIS... ports as bytes; UDP it does not proxy), and every port of a gateway this proxy
 * plays that its {@code tcp:}/{@code tls:} rules match on.
 */
public final class TcpListeners {
    private static final Set<String> READS_SNI = Set.of("TLS", "HTTPS");

    private TcpListeners() {}

    /** Whether the port's traffic is proxied as bytes rather than as HTTP. */
    public static boolean opaque(ServicePort p) {
        return !p.isHttp() && !p.protocol().toUpperCase(Locale.ROOT).equals("UDP");
    }

    /** Opens the listener of an opaque service port, named {@code name} ({@code host:port}). */
    public static InetSocketAddress openForService(ProxyServer server, TcpProxy tcp, String bind, Service s, ServicePort p,
            String name) throws InterruptedException {
        boolean tls = READS_SNI.contains(p.protocol().toUpperCase(Locale.ROOT));
        L4Listener listener = L4Listener.forService(name, s.fqdn(), p.number(), tls);
        List<InetAddress> declared = declaredAddresses(s.entry().addresses());
        return server.listenWith(new InetSocketAddress(bind, 0), ch -> tcp.init(ch, listener, declared));
    }

    /** Opens, into {@code open}, the listeners of the gateways' ports that have none yet, named {@code gateway:port}. */
    public static void openForGateways(ProxyServer server, TcpProxy tcp, String bind, Map<String, InetSocketAddress> open)
            throws InterruptedException {
        for (String g : tcp.table().gateways()) {
            for (Map.Entry<Integer, Boolean> port : tcp.table().gatewayPorts(g).entrySet()) {
                L4Listener listener = L4Listener.forGateway(g, port.getKey(), port.getValue());
                if (open.containsKey(listener.name())) continue;
                open.put(listener.name(), server.listenWith(new InetSocketAddress(bind, 0), ch -> tcp.init(ch, listener, List.of())));
            }
        }
    }

    /** The ServiceEntry's addresses (IPs or CIDRs: their network address), what destinationSubnets match. */
    private static List<InetAddress> declaredAddresses(List<String> addresses) {
        List<InetAddress> out = new ArrayList<>();
        for (String a : addresses) {
            int slash = a.indexOf('/');
            InetAddress ip = dev.meshunit.internal.routing.TcpRouteTable.ipLiteral(slash < 0 ? a : a.substring(0, slash));
            if (ip != null) out.add(ip);
        }
        return List.copyOf(out);
    }
}
