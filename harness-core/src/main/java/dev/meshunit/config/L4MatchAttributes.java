package dev.meshunit.config;

import java.util.List;
import java.util.Map;

/** Match of a TCP route (and the non-SNI part of a TLS route). */
public record L4MatchAttributes(
        List<String> destinationSubnets, Integer port, Map<String, String> sourceLabels, String sourceNamespace,
        List<String> gateways, List<String> sniHosts, String sourceSubnet) {

    public L4MatchAttributes(List<String> destinationSubnets, Integer port, Map<String, String> sourceLabels,
            String sourceNamespace, List<String> gateways, List<String> sniHosts) {
        this(destinationSubnets, port, sourceLabels, sourceNamespace, gateways, sniHosts, null);
    }

    public L4MatchAttributes {
        destinationSubnets = Immutables.list(destinationSubnets);
        sourceLabels = Immutables.map(sourceLabels);
        gateways = Immutables.list(gateways);
        sniHosts = Immutables.list(sniHosts);
    }
}
