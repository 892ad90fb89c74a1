package dev.meshunit.config.load.internal;

import dev.meshunit.config.IstioConfig;
import dev.meshunit.config.ServiceEntry;
import dev.meshunit.config.ServicePort;

/** istioctl analyze's ServiceEntry analyzers that need only the files. */
public final class ServiceEntryAnalyzers {
    private ServiceEntryAnalyzers() {}

    public static void check(IstioConfig config, Report report) {
        for (ServiceEntry se : config.serviceEntries()) addressesRequired(se, report.about(se));
    }

    /**
     * IST0134: a TCP (or protocol-less) port without addresses can only be matched by port. Istio stays quiet
     * when the mesh allocates addresses (PILOT_ENABLE_IP_AUTOALLOCATE), which the files cannot tell.
     */
    private static void addressesRequired(ServiceEntry se, Report r) {
        if (!se.addresses().isEmpty()) return;
        for (int i = 0; i < se.ports().size(); i++) {
            ServicePort port = se.ports().get(i);
            if (port.protocol() == null || port.protocol().isEmpty() || port.protocol().equalsIgnoreCase("TCP")) {
                r.warning("ports[" + i + "]", "ServiceEntry addresses are required for this protocol.", "IST0134");
            }
        }
    }
}
