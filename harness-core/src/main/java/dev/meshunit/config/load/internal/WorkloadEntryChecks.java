package dev.meshunit.config.load.internal;

import dev.meshunit.config.WorkloadEntrySpec;
import java.util.Map;
import java.util.Set;

/** Istio's rules for a WorkloadEntry, standalone or as a ServiceEntry endpoint (validateWorkloadEntry). */
public final class WorkloadEntryChecks {
    private WorkloadEntryChecks() {}

    /** A standalone WorkloadEntry: its address may be an IP, an FQDN or a unix socket. */
    public static void standalone(WorkloadEntrySpec e, Report r) {
        check(e, "", null, true, r);
    }

    /** {@code servicePorts} null when there is no ServiceEntry to check the port names against. */
    static void check(WorkloadEntrySpec e, String p, Set<String> servicePorts, boolean allowFqdn, Report r) {
        String address = e.address() == null ? "" : e.address();
        if (address.isEmpty()) {
            if (e.network() == null || e.network().isEmpty()) {
                r.error(p + "address", "address is required");
                return;
            }
            r.warning(p + "address", "address is unset with network \"" + e.network() + "\"");
        }
        boolean unix = address.startsWith("unix://");
        if (unix) {
            String path = address.substring("unix://".length());
            if (path.isEmpty()) r.error(p + "address", "unix address must not be empty");
            else if (!path.startsWith("@") && (!path.startsWith("/") || path.endsWith("/") || !normal(path))) {
                r.error(p + "address", path + " is not an absolute path to a file");
            }
            if (!e.ports().isEmpty()) r.error(p + "ports", "unix endpoint " + address + " must not include ports");
        } else if (!address.isEmpty() && !IstioNames.isIp(address)) {
            if (!allowFqdn) r.error(p + "address", "endpoint address \"" + address + "\" is not a valid IP address");
            else if (IstioNames.fqdn(address) != null) {
                r.error(p + "address", "endpoint address \"" + address + "\" is not a valid FQDN or an IP address");
            }
        }
        ServiceEntryChecks.endpointPorts(e.ports(), p, servicePorts, r);
        labels(e.labels(), p + "labels", r);
        if (unix && servicePorts != null && servicePorts.size() != 1) {
            r.error(p + "address", "exactly 1 service port required for unix endpoints");
        }
        if (e.weight() != null && e.weight() < 0) r.error(p + "weight", "must be >= 0, got " + e.weight());
        if (e.network() != null && !address.isEmpty()) r.notActedOn(p + "network", NotActedOn.ENDPOINT_IDENTITY);
        if (e.locality() != null) r.notActedOn(p + "locality", NotActedOn.ENDPOINT_IDENTITY);
        if (e.serviceAccount() != null) r.notActedOn(p + "serviceAccount", NotActedOn.ENDPOINT_IDENTITY);
    }

    /** Go's path.IsAbs plus no "." or ".." segments, which Istio's clean-path check rejects. */
    private static boolean normal(String path) {
        for (String part : path.split("/")) if (part.equals(".") || part.equals("..")) return false;
        return true;
    }

    static void labels(Map<String, String> labels, String path, Report r) {
        labels.forEach((k, v) -> {
            String problem = IstioNames.label(k, v);
            if (problem != null) r.error(path + "." + k, problem);
        });
    }

    /** ValidateAlphaWorkloadSelector: no empty keys, no wildcards; no labels at all is only a warning. */
    static void selector(Map<String, String> labels, String path, Report r, String what) {
        labels.forEach((k, v) -> {
            if (k.isEmpty()) r.error(path, "empty key is not supported in selector: \"" + k + "=" + v + "\"");
            if (k.contains("*") || v.contains("*")) r.error(path + "." + k, "wildcard is not supported in selector: \"" + k + "=" + v + "\"");
        });
        if (labels.isEmpty()) r.warning(path, what + ": workload selector specified without labels, will be applied to all services in namespace");
    }
}
