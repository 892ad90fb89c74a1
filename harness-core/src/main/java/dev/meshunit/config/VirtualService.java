package dev.meshunit.config;

import java.util.List;

/** Istio's VirtualService: how requests to some hosts are routed. */
public record VirtualService(
        Metadata metadata, List<String> hosts, List<String> gateways, List<HttpRoute> http, List<L4Route> tls,
        List<L4Route> tcp, List<String> exportTo) {

    public VirtualService {
        hosts = Immutables.list(hosts);
        gateways = Immutables.list(gateways);
        http = Immutables.list(http);
        tls = Immutables.list(tls);
        tcp = Immutables.list(tcp);
        exportTo = Immutables.list(exportTo);
    }

    public String name() {
        return metadata.name();
    }

    /** Sidecars take a VirtualService only when it lists no gateways or lists {@code mesh}. */
    public boolean appliesToSidecars() {
        return gateways.isEmpty() || gateways.contains("mesh");
    }
}
