package dev.meshunit.testing;

import dev.meshunit.config.IstioConfig;
import dev.meshunit.config.load.ConfigLoader;
import java.util.Map;

/**
 * The smallest mesh a data-plane test needs: service {@code svc:8080} with one endpoint on 127.0.0.1 and a
 * VirtualService with one route to it, to which a test may add route fields (retries, timeout...).
 */
public final class OneService {
    public static final String AUTHORITY = "svc:8080";

    private OneService() {}

    public static IstioConfig config(int endpointPort) {
        return config(endpointPort, "");
    }

    /** @param routeFields YAML fields of the route, one per line, e.g. {@code retries: {attempts: 2, retryOn: 5xx}} */
    public static IstioConfig config(int endpointPort, String routeFields) {
        return config(endpointPort, routeFields, "");
    }

    /** @param moreDocuments further YAML documents (e.g. a DestinationRule for {@code svc}), after a {@code ---} */
    public static IstioConfig config(int endpointPort, String routeFields, String moreDocuments) {
        StringBuilder extra = new StringBuilder();
        for (String line : routeFields.strip().split("\n")) {
            if (!line.isBlank()) extra.append("    ").append(line.strip()).append('\n');
        }
        return withRules(endpointPort, "  - route: [{destination: {host: svc}}]\n" + extra, moreDocuments);
    }

    /** @param httpRules the VirtualService's {@code http:} list, each item indented by two spaces */
    public static IstioConfig withRules(int endpointPort, String httpRules, String moreDocuments) {
        return ConfigLoader.create()
                .withPlaceholders(Map.of("port", Integer.toString(endpointPort))::get)
                .loadString("one-service.yaml", """
                        apiVersion: networking.istio.io/v1
                        kind: ServiceEntry
                        metadata: {name: svc}
                        spec:
                          hosts: [svc]
                          location: MESH_INTERNAL
                          resolution: STATIC
                          ports: [{number: 8080, name: http, protocol: HTTP}]
                          endpoints:
                          - {address: 127.0.0.1, ports: {http: "${port}"}}
                        ---
                        apiVersion: networking.istio.io/v1
                        kind: VirtualService
                        metadata: {name: svc}
                        spec:
                          hosts: [svc]
                          http:
                        """ + httpRules + (moreDocuments.isEmpty() ? "" : "---\n" + moreDocuments)).orThrow();
    }
}
