package dev.meshunit.tcp;

import dev.meshunit.config.IstioConfig;
import dev.meshunit.config.load.ConfigLoader;
import dev.meshunit.MeshProxy;
import dev.meshunit.journal.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import static org.awaitility.Awaitility.await;

/** YAML for the TCP tests: an {@code echo} service with a TCP port and endpoints labelled by version. */
public final class TcpConfigs {
    private TcpConfigs() {}

    /** {@code ${name}} in the YAML stands for the port given under that name. */
    public static IstioConfig load(String yaml, Map<String, Integer> ports) {
        return ConfigLoader.create().withPlaceholders(n -> ports.containsKey(n) ? ports.get(n).toString() : null)
                .loadString("tcp.yaml", yaml).orThrow();
    }

    /** ServiceEntry {@code echo}, ports 9000 (and 9001) of {@code protocol}, one endpoint per version. */
    public static String echoService(String protocol, String extra, String... versions) {
        StringBuilder b = new StringBuilder("""
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: echo}
                spec:
                  hosts: [echo]
                  location: MESH_INTERNAL
                  resolution: STATIC
                %s
                  ports: [{number: 9000, name: tcp, protocol: %s}, {number: 9001, name: tcp-other, protocol: %s}]
                  endpoints:
                """.formatted(extra, protocol, protocol));
        for (String v : versions) {
            b.append("  - {address: 127.0.0.1, ports: {tcp: ${").append(v).append("}, tcp-other: ${").append(v)
                    .append("}}, labels: {version: ").append(v).append("}}\n");
        }
        return b.append("---\n").toString();
    }

    public static String subsets(String policy) {
        return """
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: echo}
                spec:
                  host: echo
                %s
                  subsets:
                  - {name: v1, labels: {version: v1}}
                  - {name: v2, labels: {version: v2}}
                ---
                """.formatted(policy);
    }

    /** VirtualService {@code echo} with the given {@code tcp:} rules (YAML list items, indented by two). */
    public static String echoRules(String rules) {
        return """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: echo}
                spec:
                  hosts: [echo]
                  tcp:
                """ + rules.stripIndent().indent(2);
    }

    public static List<Connection> awaitConnections(MeshProxy proxy, int n) {
        await().atMost(Duration.ofSeconds(10)).until(() -> proxy.journal().connections().all().size() >= n);
        return proxy.journal().connections().all();
    }
}
