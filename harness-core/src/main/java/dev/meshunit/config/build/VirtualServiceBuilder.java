package dev.meshunit.config.build;

import dev.meshunit.config.HttpRoute;
import dev.meshunit.config.Metadata;
import dev.meshunit.config.VirtualService;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Hosts and ordered HTTP rules of a VirtualService (first match wins). */
public final class VirtualServiceBuilder {
    private final List<String> hosts = new ArrayList<>();
    private final List<HttpRoute> http = new ArrayList<>();

    VirtualServiceBuilder(String host) {
        hosts.add(host);
    }

    public VirtualServiceBuilder host(String host) {
        hosts.add(host);
        return this;
    }

    /** Appends a rule; rules are tried in the order added. */
    public VirtualServiceBuilder http(Consumer<HttpRouteBuilder> rule) {
        HttpRouteBuilder b = new HttpRouteBuilder();
        rule.accept(b);
        http.add(b.build());
        return this;
    }

    VirtualService build(Metadata metadata) {
        return new VirtualService(metadata, hosts, null, http, null, null, null);
    }
}
