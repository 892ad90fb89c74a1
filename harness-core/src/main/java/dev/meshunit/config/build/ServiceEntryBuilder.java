package dev.meshunit.config.build;

import dev.meshunit.config.Metadata;
import dev.meshunit.config.ServiceEntry;
import dev.meshunit.config.ServicePort;
import dev.meshunit.config.WorkloadEntrySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Hosts, ports and endpoints of a ServiceEntry; with endpoints the resolution is STATIC. */
public final class ServiceEntryBuilder {
    private final List<String> hosts = new ArrayList<>();
    private final List<ServicePort> ports = new ArrayList<>();
    private final List<WorkloadEntrySpec> endpoints = new ArrayList<>();
    private ServiceEntry.Location location;

    ServiceEntryBuilder(String host) {
        hosts.add(host);
    }

    public ServiceEntryBuilder host(String host) {
        hosts.add(host);
        return this;
    }

    /** A port named {@code name}; the protocol follows Istio's naming convention ({@code http}, {@code grpc-web}...). */
    public ServiceEntryBuilder port(int number, String name) {
        String prefix = name.split("-")[0].toUpperCase(Locale.ROOT);
        return port(number, name, prefix.equals("GRPC") && name.startsWith("grpc-web") ? "GRPC-WEB" : prefix);
    }

    public ServiceEntryBuilder port(int number, String name, String protocol) {
        ports.add(new ServicePort(number, protocol, name, null));
        return this;
    }

    public ServiceEntryBuilder location(ServiceEntry.Location location) {
        this.location = location;
        return this;
    }

    /** An endpoint whose {@code port} serves the first declared service port. */
    public ServiceEntryBuilder endpoint(String address, int port, Map<String, String> labels) {
        if (ports.isEmpty()) throw new IllegalStateException("declare a port(...) before endpoints");
        return endpoint(new WorkloadEntrySpec(address, Map.of(ports.get(0).name(), port), labels, null, null, null, null));
    }

    public ServiceEntryBuilder endpoint(WorkloadEntrySpec endpoint) {
        endpoints.add(endpoint);
        return this;
    }

    ServiceEntry build(Metadata metadata) {
        ServiceEntry.Resolution resolution = endpoints.isEmpty() ? null : ServiceEntry.Resolution.STATIC;
        return new ServiceEntry(metadata, hosts, null, ports, location, resolution, endpoints, null, null, null);
    }
}
