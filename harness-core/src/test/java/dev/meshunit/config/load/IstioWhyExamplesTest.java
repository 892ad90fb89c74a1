package dev.meshunit.config.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Every example in the "Why" of issue 13 behaves as Istio does: accepted, rejected, or validated though not acted on. */
class IstioWhyExamplesTest {
    private static final String VS = """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: r}
            spec:
              hosts: [reviews]
              http:
              - %s
                route: [{destination: {host: reviews}}]
            """;
    private static final String DR = """
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: r}
            spec:
              host: reviews
              trafficPolicy: %s
            """;
    private static final String SE = """
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: s}
            spec:
              hosts: [%s]
              ports: [{number: 80, name: %s, protocol: HTTP}]
              resolution: %s
              %s
            """;

    private static LoadResult load(String yaml) {
        return ConfigLoader.create().loadString("why.yaml", yaml);
    }

    private static List<String> errors(String yaml) {
        return load(yaml).errors().stream().map(Problem::toString).toList();
    }

    @ParameterizedTest(name = "Istio accepts {0}")
    @ValueSource(strings = {
            "match: [{headers: {':authority': {exact: reviews}}}]",
            "match: [{withoutHeaders: {x-debug: {regex: '*'}}}]",
            "match: [{headers: {X-Requested-With: {exact: XMLHttpRequest}}}]"})
    void matchesIstioAccepts(String http) {
        assertThat(errors(VS.formatted(http))).isEmpty();
    }

    @Test
    void anUpperCaseHeaderNameInAMatchIsAWarning() {
        assertThat(load(VS.formatted("match: [{headers: {X-User: {exact: a}}}]")).warnings()).extracting(Problem::toString)
                .anyMatch(w -> w.contains("headers.X-User: header names are matched in lower case"));
    }

    @Test
    void wildcardHostsWithADash() {
        assertThat(errors("""
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: r}
                spec:
                  hosts: ['*-foo.baz']
                  http: [{route: [{destination: {host: '*-foo.baz'}}]}]
                """)).isEmpty();
    }

    @Test
    void aServiceEntryEndpointWithOnlyANetwork() {
        LoadResult r = load(SE.formatted("www.example.com", "http", "STATIC", "endpoints: [{network: cluster-1}]"));
        assertThat(r.errors()).isEmpty();
        assertThat(r.warnings()).extracting(Problem::toString).anyMatch(w -> w.contains("address is unset with network"));
    }

    @Test
    void cookieAttributesAreInTheModelAndNamedAsNotActedOn() {
        LoadResult r = load(DR.formatted("{loadBalancer: {consistentHash: {httpCookie: {name: c, ttl: 0s, "
                + "attributes: [{name: SameSite, value: Strict}]}}}}"));
        assertThat(r.errors()).isEmpty();
        assertThat(r.config().destinationRules().get(0).trafficPolicy().loadBalancer().consistentHash().httpCookie().attributes())
                .extracting(a -> a.name() + "=" + a.value()).containsExactly("SameSite=Strict");
        assertThat(r.warnings()).extracting(Problem::toString).anyMatch(w -> w.contains("attributes: accepted but not acted on"));
    }

    @Test
    void jsonIndentedWithTabs() {
        LoadResult r = load("{\n\t\"apiVersion\": \"networking.istio.io/v1\",\n\t\"kind\": \"VirtualService\",\n"
                + "\t\"metadata\": {\"name\": \"r\"},\n\t\"spec\": {\n\t\t\"hosts\": [\"reviews\"],\n"
                + "\t\t\"http\": [{\"route\": [{\"destination\": {\"host\": \"reviews\", \"port\": {\"number\": -1}}}]}]\n\t}\n}\n");
        assertThat(r.config().virtualServices()).hasSize(1);
        assertThat(r.errors()).extracting(Problem::toString).containsExactly(
                "why.yaml:7:78: VirtualService r: http[0].route[0].destination.port.number: port number -1 must be in the range 1..65535");
    }

    @Test
    void twoVirtualServicesWhoseExportToScopesDoNotOverlapAreNoConflict() {
        String vs = """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: r, namespace: %s}
                spec:
                  hosts: [reviews.shop.svc.cluster.local]
                  exportTo: [.]
                  http: [{route: [{destination: {host: reviews.shop.svc.cluster.local}}]}]
                ---
                """;
        LoadResult r = load(vs.formatted("a") + vs.formatted("b"));
        assertThat(r.errors()).isEmpty();
        assertThat(r.warnings()).extracting(Problem::toString)
                .anyMatch(w -> w.contains("VirtualService b/r: hosts[0]: host reviews.shop.svc.cluster.local is also routed by "
                        + "VirtualService a/r") && w.contains("exportTo, which MeshUnit does not act on"));
        LoadResult shared = load(vs.formatted("a").replace("exportTo: [.]", "exportTo: ['*']") + vs.formatted("b"));
        assertThat(shared.errors()).extracting(Problem::code).containsExactly("IST0109", "IST0109");
    }

    @ParameterizedTest(name = "Istio rejects trafficPolicy {0}")
    @ValueSource(strings = {
            "{tls: {mode: MUTUAL}}",
            "{tls: {mode: MUTUAL, clientCertificate: /c.pem}}",
            "{tls: {mode: SIMPLE, credentialName: cred, caCertificates: /ca.pem}}",
            "{tls: {mode: SIMPLE, insecureSkipVerify: true, caCertificates: /ca.pem}}",
            "{tls: {mode: SIMPLE, insecureSkipVerify: true, subjectAltNames: [a.example.com]}}",
            "{}",
            "{connectionPool: {}}",
            "{loadBalancer: {localityLbSetting: {distribute: [{from: us/*, to: {eu/*: 60}}]}}}"})
    void destinationRulesIstioRejects(String policy) {
        assertThat(errors(DR.formatted(policy))).isNotEmpty();
    }

    @Test
    void aDestinationRuleHostThatIsAnIp() {
        assertThat(errors(DR.formatted("{tls: {mode: DISABLE}}").replace("host: reviews", "host: 10.0.0.1")))
                .singleElement().asString().contains("host: domain name \"10.0.0.1\" invalid");
    }

    @ParameterizedTest(name = "Istio rejects a ServiceEntry: {0}")
    @ValueSource(strings = {
            "api.example.com|http|DNS|endpoints: [{address: 'unix:///var/run/a.sock'}]",
            "api.example.com|http|STATIC|endpoints: [{address: api.example.com}]",
            "api.example.com|http|DYNAMIC_DNS|",
            "api.example.com|http|DNS|addresses: [10.0.0.0/16]",
            "api.example.com|http|NONE|workloadSelector: {labels: {app: '*'}}",
            "api.example.com|this-port-name-is-far-too-long-for-a-dns-label-because-it-has-64-chars|DNS|"})
    void serviceEntriesIstioRejects(String parts) {
        String[] p = parts.split("\\|", -1);
        assertThat(errors(SE.formatted(p[0], p[1], p[2], p[3]))).isNotEmpty();
    }

    @ParameterizedTest(name = "Istio rejects {0}")
    @ValueSource(strings = {
            "redirect: {redirectCode: 301}\n  - route: [{destination: {host: reviews}}]",
            "headers: {request: {set: {x-start: '%START_TIME%%'}}}",
            "headers: {response: {add: {x-bad: 'abc%123'}}}",
            "corsPolicy: {allowMethods: [PUTT]}",
            "match: [{gateways: ['b@d']}]"})
    void virtualServiceRulesIstioRejects(String http) {
        assertThat(errors(VS.formatted(http))).isNotEmpty();
    }

    @ParameterizedTest(name = "validated though not acted on: {0}")
    @ValueSource(strings = {
            "gateways: ['ns1/*']",
            "exportTo: ['~']",
            "tcp: [{match: [{port: 999}]}]",
            "tls: [{match: [{port: 443, sniHosts: [other.example.com]}], route: [{destination: {host: reviews}}]}]"})
    void notActedOnButValidated(String field) {
        assertThat(errors("""
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: r}
                spec:
                  hosts: [reviews]
                  %s
                  http: [{route: [{destination: {host: reviews}}]}]
                """.formatted(field))).isNotEmpty();
    }

    @Test
    void aDelegateVirtualServiceIsValidated() {
        assertThat(errors("""
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: delegate}
                spec:
                  gateways: [mesh]
                  http: [{route: [{destination: {host: reviews}}], delegate: {name: other}}]
                """)).extracting(e -> e.substring(e.indexOf(": ") + 2)).contains(
                "VirtualService delegate: gateways: delegate virtual service must have no gateways specified",
                "VirtualService delegate: http[0].delegate: delegate HTTP route cannot contain delegate");
    }
}
