package dev.meshunit.config.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Istio's webhook rules for {@code tls:} and {@code tcp:} rules, with Istio's wording, and no "not implemented" warnings. */
class L4ValidationTest {
    private static final String SE = """
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: api}
            spec:
              hosts: [api.example.com]
              addresses: [10.0.0.1]
              ports: [{number: 443, name: tls, protocol: TLS}]
              resolution: STATIC
              endpoints: [{address: 127.0.0.1, ports: {tls: 8443}}]
            ---
            """;

    private List<String> problems(String yaml) {
        return ConfigLoader.create().loadString("c.yaml", yaml).problems().stream().map(Problem::toString).toList();
    }

    @Test
    void validTcpAndTlsRulesLoadWithoutAnyProblem() {
        assertThat(problems(SE + """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: api}
                spec:
                  hosts: [api.example.com]
                  tls:
                  - match: [{port: 443, sniHosts: [api.example.com], destinationSubnets: [10.0.0.0/8]}]
                    route: [{destination: {host: api.example.com}}]
                  tcp:
                  - match: [{sourceLabels: {app: web}}]
                    route: [{destination: {host: api.example.com}}]
                """)).isEmpty();
    }

    @Test
    void tlsRulesNeedMatchesWithSniHostsWithinTheHosts() {
        assertThat(problems(SE + """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: api}
                spec:
                  hosts: [api.example.com, "*.internal.example.com"]
                  tls:
                  - route: [{destination: {host: api.example.com}}]
                  - match: [{port: 443}]
                    route: [{destination: {host: api.example.com}}]
                  - match: [{sniHosts: [a.internal.example.com, other.example.com]}]
                    route: [{destination: {host: api.example.com}}]
                """)).containsExactly(
                "c.yaml:17:5: VirtualService api: tls[0].match: TLS route must have at least one match condition",
                "c.yaml:18:13: VirtualService api: tls[1].match[0].sniHosts: TLS match must have at least one SNI host",
                "c.yaml:20:49: VirtualService api: tls[2].match[0].sniHosts[1]: SNI host \"other.example.com\" is not a "
                        + "compatible subset of any of the virtual service hosts: [api.example.com, *.internal.example.com]");
    }

    @Test
    void tcpRulesNeedRoutesWeightsAndRealSubnets() {
        assertThat(problems(SE + """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: api}
                spec:
                  hosts: [api.example.com]
                  tcp:
                  - match: [{destinationSubnets: [10.0.0.0/33, not-an-ip], port: 70000}]
                  - route:
                    - {destination: {host: api.example.com}, weight: 0}
                    - {destination: {host: api.example.com}, weight: 0}
                """)).containsExactly(
                "c.yaml:17:5: VirtualService api: tcp[0].route: TCP route is required",
                "c.yaml:17:35: VirtualService api: tcp[0].match[0].destinationSubnets[0]: 10.0.0.0/33 is not a valid CIDR block",
                "c.yaml:17:48: VirtualService api: tcp[0].match[0].destinationSubnets[1]: not-an-ip is not a valid IP",
                "c.yaml:17:66: VirtualService api: tcp[0].match[0].port: port number 70000 must be in the range 1..65535",
                "c.yaml:19:5: VirtualService api: tcp[1].route: total destination weight = 0");
    }
}
