package dev.meshunit.config.load.internal;

import dev.meshunit.config.ServiceEntry;
import dev.meshunit.config.ServiceEntry.Resolution;
import dev.meshunit.config.ServicePort;
import dev.meshunit.config.WorkloadEntrySpec;
import java.util.HashSet;
import java.util.Set;

/** Webhook rules for ServiceEntry and WorkloadEntry. */
public final class ServiceEntryChecks {
    private static final Set<String> PROTOCOLS =
            Set.of("HTTP", "HTTPS", "GRPC", "GRPC-WEB", "HTTP2", "MONGO", "TCP", "TLS", "UDP", "REDIS", "MYSQL", "THRIFT");

    private ServiceEntryChecks() {}

    public static void check(ServiceEntry se, Report r) {
        if (se.hosts().isEmpty()) r.error("hosts", "service entry must have at least one host");
        for (int i = 0; i < se.hosts().size(); i++) {
            String host = se.hosts().get(i);
            if (host.equals("*")) r.error("hosts[" + i + "]", "invalid host *");
            else Checks.host(r, "hosts[" + i + "]", host);
            if (se.resolution() == Resolution.DNS && se.endpoints().isEmpty() && host.startsWith("*")) {
                r.error("hosts[" + i + "]", "hosts must be FQDN if no endpoints are provided for resolution mode DNS");
            }
        }
        Set<String> names = new HashSet<>();
        Set<Integer> numbers = new HashSet<>();
        for (int i = 0; i < se.ports().size(); i++) {
            ServicePort port = se.ports().get(i);
            String p = "ports[" + i + "]";
            Checks.port(r, p + ".number", port.number());
            if (!numbers.add(port.number())) r.error(p + ".number", "port number " + port.number() + " is not unique");
            if (port.name() == null || port.name().isEmpty()) r.error(p + ".name", "port name is required");
            else if (!names.add(port.name())) r.error(p + ".name", "port name " + port.name() + " is not unique");
            if (port.protocol() != null && !PROTOCOLS.contains(port.protocol().toUpperCase())) {
                r.error(p + ".protocol", "unknown protocol " + port.protocol() + "; allowed: " + String.join(", ", PROTOCOLS.stream().sorted().toList()));
            }
            Checks.port(r, p + ".targetPort", port.targetPort());
        }
        if (se.resolution() == Resolution.NONE && !se.endpoints().isEmpty()) {
            r.error("endpoints", "no endpoints should be provided for resolution type NONE");
        }
        if (se.resolution() == Resolution.DNS_ROUND_ROBIN && se.endpoints().size() > 1) {
            r.error("endpoints", "there must only be 0 or 1 endpoint for resolution mode DNS_ROUND_ROBIN");
        }
        if (!se.workloadSelector().isEmpty() && !se.endpoints().isEmpty()) {
            r.error("workloadSelector", "only one of workloadSelector or endpoints is allowed in service entry");
        }
        for (int i = 0; i < se.endpoints().size(); i++) endpoint(se.endpoints().get(i), "endpoints[" + i + "]", names, r);
        if (!se.exportTo().isEmpty()) r.notActedOn("exportTo", NotActedOn.EXPORT_TO);
        if (!se.subjectAltNames().isEmpty()) r.notActedOn("subjectAltNames", NotActedOn.SUBJECT_ALT_NAMES);
    }

    /** {@code portNames} null for a standalone WorkloadEntry, whose ports cannot be checked alone. */
    public static void endpoint(WorkloadEntrySpec e, String path, Set<String> portNames, Report r) {
        String p = path.isEmpty() ? "" : path + ".";
        if (e.address() == null || e.address().isEmpty()) r.error(p + "address", "endpoint address is required");
        e.ports().forEach((name, number) -> {
            if (portNames != null && !portNames.contains(name)) {
                r.error(p + "ports." + name, "endpoint port " + name + " is not defined by the service entry");
            }
            Checks.port(r, p + "ports." + name, number);
        });
        if (e.weight() != null && e.weight() < 0) r.error(p + "weight", "must be >= 0, got " + e.weight());
    }
}
