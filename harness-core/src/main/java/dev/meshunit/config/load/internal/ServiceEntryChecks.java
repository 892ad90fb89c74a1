package dev.meshunit.config.load.internal;

import dev.meshunit.config.ServiceEntry;
import dev.meshunit.config.ServiceEntry.Resolution;
import dev.meshunit.config.ServicePort;
import dev.meshunit.config.WorkloadEntrySpec;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Istio's webhook rules for ServiceEntry (ValidateServiceEntry), rule for rule. */
public final class ServiceEntryChecks {
    /** What Istio's protocol.Parse recognises (case-insensitive). */
    static final Set<String> PROTOCOLS = Set.of("TCP", "UDP", "GRPC", "GRPC-WEB", "HTTP", "HTTP_PROXY", "HTTP2", "HTTPS",
            "TLS", "MONGO", "REDIS", "MYSQL");
    private static final Set<String> HTTP = Set.of("HTTP", "HTTP2", "GRPC", "GRPC-WEB", "HTTP_PROXY");

    private ServiceEntryChecks() {}

    public static void check(ServiceEntry se, Report r) {
        boolean selector = r.written("workloadSelector") || !se.workloadSelector().isEmpty();
        if (selector) WorkloadEntryChecks.selector(se.workloadSelector(), "workloadSelector.labels", r, "service entry");
        if (selector && (r.written("endpoints") || !se.endpoints().isEmpty())) {
            r.error("workloadSelector", "only one of WorkloadSelector or Endpoints is allowed in Service Entry");
        }
        hosts(se, r);
        boolean cidr = false;
        for (int i = 0; i < se.addresses().size(); i++) {
            String a = se.addresses().get(i);
            cidr |= a.contains("/");
            String problem = IstioNames.ipSubnet(a);
            if (problem != null) r.error("addresses[" + i + "]", problem);
        }
        if (cidr && se.resolution() != Resolution.NONE && se.resolution() != Resolution.STATIC) {
            r.error("addresses", "CIDR addresses are allowed only for NONE/STATIC resolution types");
        }
        Set<String> names = ports(se, r);
        resolution(se, names, r);
        if (se.resolution() != Resolution.NONE && se.hosts().size() > 1) {
            for (int i = 0; i < se.ports().size(); i++) {
                String p = upper(se.ports().get(i).protocol());
                if (!HTTP.contains(p) && !p.equals("HTTPS") && !p.equals("TLS")) {
                    r.error("ports[" + i + "].protocol", "multiple hosts provided with non-HTTP, non-TLS ports");
                    break;
                }
            }
        }
        ExportTo.check(se.exportTo(), se.metadata().namespace(), r, true, false);
        if (!se.subjectAltNames().isEmpty()) r.notActedOn("subjectAltNames", NotActedOn.SUBJECT_ALT_NAMES);
    }

    private static void hosts(ServiceEntry se, Report r) {
        if (se.hosts().isEmpty()) r.error("hosts", "service entry must have at least one host");
        for (int i = 0; i < se.hosts().size(); i++) {
            String host = se.hosts().get(i);
            String p = "hosts[" + i + "]";
            if (host.equals("*")) {
                r.error(p, "invalid host *");
                continue;
            }
            String problem = IstioNames.wildcardDomain(host);
            if (problem != null) r.error(p, problem);
            if (se.resolution() != Resolution.DYNAMIC_DNS && host.contains("*") && !host.startsWith("*.")) {
                r.warning(p, "partial wildcard \"" + host + "\" not allowed");
            }
        }
    }

    private static Set<String> ports(ServiceEntry se, Report r) {
        Set<String> names = new HashSet<>();
        Set<Integer> numbers = new HashSet<>();
        for (int i = 0; i < se.ports().size(); i++) {
            ServicePort port = se.ports().get(i);
            String p = "ports[" + i + "]";
            String name = port.name() == null ? "" : port.name();
            if (!names.add(name)) r.error(p + ".name", "service entry port name \"" + name + "\" already defined");
            if (!numbers.add(port.number())) r.error(p + ".number", "service entry port " + port.number() + " already defined");
            if (port.targetPort() != null && port.targetPort() != 0) Checks.port(r, p + ".targetPort", port.targetPort());
            if (!IstioNames.isDns1123Label(name)) r.error(p + ".name", "invalid port name: " + name);
            if (port.protocol() != null && !port.protocol().isEmpty() && !PROTOCOLS.contains(upper(port.protocol()))) {
                r.error(p + ".protocol", "unsupported protocol: " + port.protocol() + "; allowed: "
                        + String.join(", ", PROTOCOLS.stream().sorted().toList()));
            }
            if (port.number() < 1 || port.number() > 65535) {
                r.error(p + ".number", "port number " + port.number() + " must be in the range 1..65535");
            }
        }
        return names;
    }

    private static void resolution(ServiceEntry se, Set<String> ports, Report r) {
        List<WorkloadEntrySpec> eps = se.endpoints();
        switch (se.resolution()) {
            case NONE -> {
                if (!eps.isEmpty()) r.error("endpoints", "no endpoints should be provided for resolution type none");
                if (r.written("workloadSelector") || !se.workloadSelector().isEmpty()) {
                    r.warning("workloadSelector", "workloadSelector should not be set when resolution mode is NONE");
                }
            }
            case STATIC -> {
                for (int i = 0; i < eps.size(); i++) WorkloadEntryChecks.check(eps.get(i), "endpoints[" + i + "].", ports, false, r);
            }
            case DNS, DNS_ROUND_ROBIN -> dns(se, ports, r);
            case DYNAMIC_DNS -> dynamicDns(se, r);
        }
    }

    private static void dns(ServiceEntry se, Set<String> ports, Report r) {
        List<WorkloadEntrySpec> eps = se.endpoints();
        if (eps.isEmpty()) {
            for (int i = 0; i < se.hosts().size(); i++) {
                String problem = IstioNames.fqdn(se.hosts().get(i));
                if (problem != null) {
                    r.error("hosts[" + i + "]", "hosts must be FQDN or contain only prefix wildcards if no endpoints are "
                            + "provided for resolution mode " + se.resolution() + ", " + problem);
                    break;
                }
            }
        }
        if (se.resolution() == Resolution.DNS_ROUND_ROBIN && eps.size() > 1) {
            r.error("endpoints", "there must only be 0 or 1 endpoint for resolution mode DNS_ROUND_ROBIN");
        }
        for (int i = 0; i < eps.size(); i++) {
            WorkloadEntrySpec e = eps.get(i);
            String p = "endpoints[" + i + "].";
            String address = e.address() == null ? "" : e.address();
            if (!IstioNames.isIp(address) && IstioNames.fqdn(address) != null) {
                r.error(p + "address", "endpoint address \"" + address + "\" is not a valid FQDN or an IP address");
            }
            WorkloadEntryChecks.labels(e.labels(), p + "labels", r);
            endpointPorts(e.ports(), p, ports, r);
        }
        if (!se.addresses().isEmpty() && se.hosts().size() > 1
                && se.ports().stream().anyMatch(port -> isTcp(port.protocol()))) {
            r.warning("addresses", "service entry can not have more than one host specified simultaneously with address and tcp port");
        }
    }

    private static void dynamicDns(ServiceEntry se, Report r) {
        for (int i = 0; i < se.hosts().size(); i++) {
            if (!se.hosts().get(i).startsWith("*")) r.error("hosts[" + i + "]", "host must be wildcarded for resolution mode DYNAMIC_DNS");
        }
        if (!se.addresses().isEmpty()) {
            r.error("addresses", "addresses cannot be set for resolution type DYNAMIC_DNS. HTTP route domains will only be "
                    + "generated from the hosts field values");
        }
        if (!se.endpoints().isEmpty()) {
            r.error("endpoints", "endpoints cannot be set for resolution type DYNAMIC_DNS. Destination IP address determined "
                    + "from hosts field values");
        }
        for (int i = 0; i < se.ports().size(); i++) {
            String p = upper(se.ports().get(i).protocol());
            if (!Set.of("HTTP", "TLS", "GRPC", "HTTP2").contains(p)) {
                r.error("ports[" + i + "].protocol", "only HTTP, TLS, GRPC, and HTTP2 protocols are supported for resolution type DYNAMIC_DNS");
            }
        }
        String waypoint = se.metadata().labels().get("istio.io/use-waypoint");
        if (se.location() == ServiceEntry.Location.MESH_INTERNAL && waypoint != null && !waypoint.isEmpty()
                && !waypoint.equalsIgnoreCase("none")) {
            r.error("location", "location MESH_INTERNAL with resolution type DYNAMIC_DNS is not supported when using waypoints");
        }
    }

    static void endpointPorts(Map<String, Integer> ports, String p, Set<String> servicePorts, Report r) {
        ports.forEach((name, number) -> {
            if (servicePorts != null && !servicePorts.contains(name)) {
                r.error(p + "ports." + name, "endpoint port " + number + " is not defined by the service entry");
            }
            if (!IstioNames.isDns1123Label(name)) r.error(p + "ports." + name, "invalid port name: " + name);
            Checks.port(r, p + "ports." + name, number);
            if (number == null || number == 0) r.error(p + "ports." + name, "port number 0 must be in the range 1..65535");
        });
    }

    /** Istio's protocol IsTCP(): the protocols carried over TCP without HTTP routing. */
    private static boolean isTcp(String protocol) {
        return Set.of("TCP", "HTTPS", "TLS", "MONGO", "REDIS", "MYSQL").contains(upper(protocol));
    }

    private static String upper(String protocol) {
        return protocol == null ? "" : protocol.toUpperCase();
    }
}
