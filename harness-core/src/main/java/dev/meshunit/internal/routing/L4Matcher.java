package dev.meshunit.internal.routing;

import dev.meshunit.config.HostNames;
import dev.meshunit.config.L4MatchAttributes;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A compiled {@code L4MatchAttributes} (or {@code TLSMatchAttributes}): port, destinationSubnets and sniHosts
 * are checked per connection; sourceLabels and gateways decide at compile time whether this proxy gets the
 * match at all, as they decide which Envoys istiod gives it to.
 */
final class L4Matcher {
    private final Integer port;
    private final List<Subnet> subnets;
    private final List<String> sniHosts;
    private final boolean applies;

    L4Matcher(L4MatchAttributes m, Map<String, String> sourceLabels, String gateway) {
        this.port = m.port();
        this.subnets = new ArrayList<>();
        for (String s : m.destinationSubnets()) subnets.add(Subnet.parse(s));
        this.sniHosts = m.sniHosts().stream().map(HostNames::normalize).toList();
        boolean gatewayOk = m.gateways().isEmpty() || m.gateways().stream().anyMatch(g -> g.equals(gateway == null ? "mesh" : gateway)
                || gateway != null && g.endsWith("/" + gateway));
        this.applies = gatewayOk && sourceLabels.entrySet().containsAll(m.sourceLabels().entrySet());
    }

    /** Whether istiod would give this match to a listener on {@code listenerPort} of this proxy at all. */
    boolean appliesTo(int listenerPort) {
        return applies && (port == null || port == listenerPort);
    }

    /** @param sni the ClientHello's server name, or null (then a match that names sniHosts fails) */
    boolean matches(int listenerPort, String sni, List<InetAddress> destinations) {
        if (!appliesTo(listenerPort)) return false;
        if (!sniHosts.isEmpty() && (sni == null || sniHosts.stream().noneMatch(p -> HostNames.matches(p, sni)))) return false;
        if (!subnets.isEmpty() && subnets.stream().noneMatch(s -> destinations.stream().anyMatch(s::contains))) return false;
        return true;
    }

    /** An address or CIDR of destinationSubnets; one that is not an IP literal matches nothing. */
    record Subnet(InetAddress network, int prefix) {
        static Subnet parse(String text) {
            String t = text.trim();
            int slash = t.indexOf('/');
            String ip = slash < 0 ? t : t.substring(0, slash);
            InetAddress a = literal(ip);
            if (a == null) return new Subnet(null, 0);
            int bits = a.getAddress().length * 8;
            int prefix = bits;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(t.substring(slash + 1));
                } catch (NumberFormatException e) {
                    return new Subnet(null, 0);
                }
            }
            return new Subnet(a, Math.max(0, Math.min(bits, prefix)));
        }

        boolean contains(InetAddress address) {
            if (network == null || address.getAddress().length != network.getAddress().length) return false;
            int bits = network.getAddress().length * 8;
            BigInteger mask = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE)
                    .xor(BigInteger.ONE.shiftLeft(bits - prefix).subtract(BigInteger.ONE));
            return new BigInteger(1, network.getAddress()).and(mask).equals(new BigInteger(1, address.getAddress()).and(mask));
        }
    }

    /** The address an IP literal stands for, without ever asking DNS; null for anything else. */
    static InetAddress literal(String ip) {
        if (ip.isEmpty() || !ip.matches("[0-9a-fA-F:.]+") || ip.indexOf(':') < 0 && !ip.matches("[0-9.]+")) return null;
        try {
            return InetAddress.getByName(ip);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
