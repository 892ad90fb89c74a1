package dev.meshunit.config.load.internal;

import dev.meshunit.config.ClientTlsSettings;
import dev.meshunit.config.ClientTlsSettings.Mode;
import dev.meshunit.config.DestinationRule;
import dev.meshunit.config.IstioConfig;
import dev.meshunit.config.PortTrafficPolicy;

/** istioctl analyze's DestinationRule analyzers that need only the files: IST0128, IST0129 (CaCertificateAnalyzer). */
public final class DestinationRuleAnalyzers {
    private DestinationRuleAnalyzers() {}

    public static void check(IstioConfig config, Report report) {
        for (DestinationRule dr : config.destinationRules()) caCertificates(dr, report.about(dr));
    }

    /** SIMPLE or MUTUAL TLS without caCertificates does not verify the server (unless a selected credential does). */
    private static void caCertificates(DestinationRule dr, Report r) {
        boolean selector = r.written("workloadSelector") || !dr.workloadSelector().isEmpty();
        String name = dr.metadata().namespace() + "/" + dr.name();
        ClientTlsSettings tls = dr.trafficPolicy().tls();
        if (unverified(tls, selector)) {
            r.warning("trafficPolicy.tls", "DestinationRule " + name + " in namespace " + dr.metadata().namespace()
                    + " has TLS mode set to " + tls.mode() + " but no caCertificates are set to validate server identity for host: "
                    + dr.host(), "IST0128");
        }
        for (int i = 0; i < dr.trafficPolicy().portLevelSettings().size(); i++) {
            PortTrafficPolicy p = dr.trafficPolicy().portLevelSettings().get(i);
            if (unverified(p.tls(), selector)) {
                r.warning("trafficPolicy.portLevelSettings[" + i + "].tls", "DestinationRule " + name + " in namespace "
                        + dr.metadata().namespace() + " has TLS mode set to " + p.tls().mode() + " but no caCertificates are set "
                        + "to validate server identity for host: " + dr.host() + " at port number:" + p.port(), "IST0129");
            }
        }
    }

    private static boolean unverified(ClientTlsSettings tls, boolean selector) {
        if (tls == null || (tls.mode() != Mode.SIMPLE && tls.mode() != Mode.MUTUAL)) return false;
        boolean ca = tls.caCertificates() != null && !tls.caCertificates().isEmpty();
        boolean credential = tls.credentialName() != null && !tls.credentialName().isEmpty();
        return !ca && !(credential && selector);
    }
}
