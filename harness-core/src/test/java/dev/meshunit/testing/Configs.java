package dev.meshunit.testing;

import dev.meshunit.config.IstioConfig;
import dev.meshunit.config.load.ConfigLoader;
import java.util.HashMap;
import java.util.Map;

/** Loads test YAML in which {@code ${name}} stands for the port of the backend of that name. */
public final class Configs {
    private Configs() {}

    public static IstioConfig yaml(String yaml, TestBackend... backends) {
        Map<String, String> ports = new HashMap<>();
        for (TestBackend b : backends) ports.put(b.name(), Integer.toString(b.port()));
        return ConfigLoader.create().withPlaceholders(ports::get).loadString("test.yaml", yaml).orThrow();
    }

    /** A ServiceEntry for {@code host} on port 9080 with one endpoint per backend, labelled version=name. */
    public static String serviceEntry(String host, TestBackend... backends) {
        StringBuilder b = new StringBuilder("""
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: %s}
                spec:
                  hosts: [%s]
                  location: MESH_INTERNAL
                  resolution: STATIC
                  ports: [{number: 9080, name: http, protocol: HTTP}]
                  endpoints:
                """.formatted(host, host));
        for (TestBackend t : backends) {
            b.append("  - {address: 127.0.0.1, ports: {http: ${").append(t.name()).append("}}, labels: {version: ")
                    .append(t.name()).append("}}\n");
        }
        return b.append("---\n").toString();
    }

    /** A DestinationRule with one subset per name, selecting version=name. */
    public static String subsets(String host, String... names) {
        StringBuilder b = new StringBuilder("""
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: %s}
                spec:
                  host: %s
                  subsets:
                """.formatted(host, host));
        for (String n : names) b.append("  - {name: ").append(n).append(", labels: {version: ").append(n).append("}}\n");
        return b.append("---\n").toString();
    }
}
