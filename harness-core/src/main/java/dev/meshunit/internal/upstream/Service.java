package dev.meshunit.internal.upstream;

import dev.meshunit.config.ServiceEntry;
import dev.meshunit.config.ServicePort;
import java.util.List;

/** A service known from a ServiceEntry host: its FQDN, ports and the entry that declared it. */
public record Service(String fqdn, String namespace, List<ServicePort> ports, ServiceEntry entry) {
    public Service {
        ports = List.copyOf(ports);
    }

    public ServicePort port(int number) {
        for (ServicePort p : ports) {
            if (p.number() == number) return p;
        }
        return null;
    }

    /**
     * The port a request addressed to {@code requested} is for: that port if declared, otherwise the only
     * port when there is one (a test that says {@code http://reviews/} means the service, whatever its port).
     */
    public ServicePort resolvePort(int requested) {
        ServicePort p = port(requested);
        if (p != null) return p;
        return ports.size() == 1 ? ports.get(0) : null;
    }
}
